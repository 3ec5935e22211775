/* sbuf.h - a growable byte string, used wherever text is built. */
#ifndef ZIMU_SBUF_H
#define ZIMU_SBUF_H

#include <stddef.h>

/* A growable byte string, always NUL-terminated once anything was added. */
typedef struct zimu_sbuf {
    char *s;
    size_t len, cap;
    int oom; /* an allocation failed; the content is incomplete */
} zimu_sbuf;

void zimu__sb_add(zimu_sbuf *b, const char *s, size_t n);
void zimu__sb_addc(zimu_sbuf *b, char ch);
void zimu__sb_adds(zimu_sbuf *b, const char *s);
void zimu__sb_printf(zimu_sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void zimu__sb_free(zimu_sbuf *b);
/* The string, handed over to the caller ("" if nothing was added); NULL if
 * an allocation failed. b is empty afterwards. */
char *zimu__sb_take(zimu_sbuf *b);

#endif
