/* tmpfile.h - outputs are written under a temporary name and renamed. */
#ifndef ZIMU_TMPFILE_H
#define ZIMU_TMPFILE_H

#include <stddef.h>

/* Create a new empty file "<dir>/<prefix>XXXXXXXX<suffix>" exclusively,
 * with mode 0666 minus the umask (mkstemp would make it 0600, and a renamed
 * output should get the permissions any new file gets). Returns the
 * malloc'd name, or NULL with errno set. */
char *zimu__temp_create(const char *dir, const char *prefix, const char *suffix);

/* The same, beside path: "<dir of path>/.<name>.zimu-XXXXXXXX.part". */
char *zimu__temp_beside(const char *path);

/* Give the finished temporary file tmp (beside path, from
 * zimu__temp_beside) its name: its data flushed to disk, renamed to path,
 * and the folder's entry flushed too, so a crash never leaves path half
 * written. On failure tmp is removed; ZIMU_EOUTPUT with "path: reason" in
 * c. Every output of the library is published through here. */
struct zimu_ctx;
int zimu__temp_publish(struct zimu_ctx *c, const char *tmp, const char *path);

/* Write data to path: a temporary file beside it, then published. 0 or
 * ZIMU_EOUTPUT / ZIMU_ENOMEM with "path: reason" in c. */
int zimu__write_file_atomic(struct zimu_ctx *c, const char *path, const void *data,
                            size_t size);

#endif
