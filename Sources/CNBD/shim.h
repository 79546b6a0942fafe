#ifndef VMBACKUP_CNBD_SHIM_H
#define VMBACKUP_CNBD_SHIM_H

#include <libnbd.h>

#endif
