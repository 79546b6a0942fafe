#ifndef VMBACKUP_CLVM2CMD_SHIM_H
#define VMBACKUP_CLVM2CMD_SHIM_H

#include <lvm2cmd.h>

#endif
