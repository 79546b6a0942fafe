#ifndef VMBACKUP_CBTRFSUTIL_SHIM_H
#define VMBACKUP_CBTRFSUTIL_SHIM_H

#include <btrfsutil.h>

#endif
