/* digest.h - SHA-256 of settings and files, for fingerprints (a batch's
 * resume: lib/batch/fingerprint.c). */
#ifndef ZIMU_DIGEST_H
#define ZIMU_DIGEST_H

#include <stddef.h>
#include <stdint.h>

typedef struct zimu_digest zimu_digest;

/* A new SHA-256, or NULL when out of memory. */
zimu_digest *zimu__digest_new(void);
void zimu__digest_free(zimu_digest **d);
void zimu__digest_add(zimu_digest *d, const void *data, size_t size);
/* A labelled string: label, its length and bytes (NULL and "" differ), so
 * that neighbouring fields can never run into each other. */
void zimu__digest_str(zimu_digest *d, const char *label, const char *s);
void zimu__digest_int(zimu_digest *d, const char *label, int64_t v);
void zimu__digest_num(zimu_digest *d, const char *label, double v);
/* A file's content, cheaply: its size, and all its bytes when it holds at
 * most 4 MiB, else its first and last MiB (with_mtime: and its
 * modification time, so that an edit in the middle that keeps the size
 * is seen too: a clip edited in place changes its size or its index, at
 * the start or the end of an MP4, almost always). 0, or -1 with errno
 * (missing, unreadable: "missing" is added then, so the digest still
 * differs from any file's). */
int zimu__digest_file(zimu_digest *d, const char *label, const char *path, int with_mtime);
/* The digest as 64 lowercase hex digits and a NUL; d is spent. */
void zimu__digest_hex(zimu_digest *d, char hex[65]);

#endif
