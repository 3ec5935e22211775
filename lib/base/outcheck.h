/* outcheck.h - the rules every output obeys before it is written. */
#ifndef ZIMU_OUTCHECK_H
#define ZIMU_OUTCHECK_H

#include <stddef.h>

#include "internal.h"

/* Refuse path as an output: in a folder that does not exist or a
 * directory (ZIMU_EOUTPUT), one of the
 * n_inputs paths in inputs (NULL entries skipped; compared by device and
 * inode, so symlinks and hard links are caught: ZIMU_ESAME), or an
 * existing file unless overwrite (ZIMU_EEXIST). 0 when it may be written. */
int zimu__check_output(zimu_ctx *c, const char *path, int overwrite,
                       const char *const *inputs, size_t n_inputs);
/* ZIMU_EOUTPUT when path's folder does not exist or is not a folder (the
 * message names it: "out/x.mp4: the folder out does not exist"), else 0.
 * Also for an existing path. */
int zimu__check_output_folder(zimu_ctx *c, const char *path);

#endif
