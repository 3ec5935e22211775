/* tmpfile.h - outputs are written under a temporary name and renamed. */
#ifndef ZIMU_TMPFILE_H
#define ZIMU_TMPFILE_H

#include <stddef.h>

/* Create a new empty file "<dir>/<prefix>XXXXXXXX<suffix>" exclusively,
 * with mode 0666 minus the umask (mkstemp would make it 0600, and a renamed
 * output should get the permissions any new file gets). Returns the
 * malloc'd name, or NULL with errno set. */
char *zimu__temp_create(const char *dir, const char *prefix, const char *suffix);

/* The same with this process's mark after prefix:
 * "<dir>/<prefix>HOST-PID-XXXXXXXX<suffix>" (HOST: the host name, letters,
 * digits, '.', '_', '-' kept, others '_'), so that a later run can tell a
 * temporary whose process is gone. */
char *zimu__temp_owned(const char *dir, const char *prefix, const char *suffix);

/* Remove from dir the files "<prefix>HOST-PID-XXXXXXXX<suffix>" that
 * zimu__temp_owned made on this host for a process that no longer exists
 * (kill(pid, 0) fails with ESRCH). Another host's and a live process's are
 * left alone. Returns how many were removed; errno is kept. */
int zimu__temp_remove_stale(const char *dir, const char *prefix, const char *suffix);

/* Remove the stale temporaries beside path (those zimu__temp_beside
 * would remove): a batch does it for outputs it finds complete and does
 * not make again. Returns how many were removed. */
int zimu__temp_remove_stale_beside(const char *path);

/* The temporary beside path: "<dir of path>/.<name>.zimu-HOST-PID-XXXXXXXX.part"
 * (name cut to 150 bytes). The stale temporaries of path (of processes
 * gone on this host) are removed first. */
char *zimu__temp_beside(const char *path);

/* Give the finished temporary file tmp (beside path, from
 * zimu__temp_beside) its name: its data flushed to disk, renamed to path,
 * and the folder's entry flushed too, so a crash never leaves path half
 * written. Without overwrite a file that appeared at path meanwhile is
 * never replaced: renameat2(RENAME_NOREPLACE), or where the file system
 * refuses that flag (NFS) link(tmp, path) then unlink(tmp), or where it
 * has no hard links either, a look at path then rename(); a file at path
 * gives ZIMU_EEXIST. With overwrite, rename(). On failure tmp is removed;
 * ZIMU_EEXIST / ZIMU_EOUTPUT with "path: reason" in c. Every output of the
 * library is published through here. */
struct zimu_ctx;
int zimu__temp_publish(struct zimu_ctx *c, const char *tmp, const char *path, int overwrite);

/* zimu__temp_publish with the way to publish without overwrite chosen:
 * AUTO tries renameat2 first; LINK goes straight to the link() fallback
 * (for tests of that path, tests/check_outputs.c). */
enum { ZIMU__PUBLISH_AUTO, ZIMU__PUBLISH_LINK };
int zimu__temp_publish_how(struct zimu_ctx *c, const char *tmp, const char *path,
                           int overwrite, int how);

/* Write data to path: a temporary file beside it, then published
 * (zimu__temp_publish, overwrite as there). 0 or ZIMU_EEXIST /
 * ZIMU_EOUTPUT / ZIMU_ENOMEM with "path: reason" in c. */
int zimu__write_file_atomic(struct zimu_ctx *c, const char *path, const void *data,
                            size_t size, int overwrite);

#endif
