/* keyword.c - keyword spans: markers and the room they take (keyword.h). */
#include <string.h>

#include "keyword.h"

size_t zimu__key_at(const char *s, int *on)
{
    static const char kon[] = ZIMU__KEY_ON, koff[] = ZIMU__KEY_OFF;
    if (s[0] != '{')
        return 0;
    if (!strncmp(s, kon, sizeof kon - 1)) {
        *on = 1;
        return sizeof kon - 1;
    }
    if (!strncmp(s, koff, sizeof koff - 1)) {
        *on = 0;
        return sizeof koff - 1;
    }
    return 0;
}

int zimu__has_keys(const char *text)
{
    return text && (strstr(text, ZIMU__KEY_ON) || strstr(text, ZIMU__KEY_OFF));
}

int zimu__key_scale(const zimu_text_style *s)
{
    return s->highlight_scale > 0 && s->highlight_scale != 100 ? s->highlight_scale : 120;
}

/* Visible code points of s[0..n) outside override blocks. */
static size_t chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '{') {
            const char *e = memchr(s + i, '}', n - i);
            if (e) {
                i = (size_t)(e - s);
                continue;
            }
        }
        k += ((unsigned char)s[i] & 0xC0) != 0x80 && (unsigned char)s[i] > ' ';
    }
    return k;
}

double zimu__key_line(zimu_measure *m, const char *s, size_t n, double spacing,
                      int scale, int *open, int *has)
{
    double extra = 0;
    size_t from = 0; /* start of the open span's part on this line */
    for (size_t i = 0; i <= n; i++) {
        int on = 0;
        size_t len = i < n ? zimu__key_at(s + i, &on) : 0;
        if (i < n && !len) {
            if (s[i] == '{') { /* another block: skip it whole */
                const char *e = memchr(s + i, '}', n - i);
                if (e)
                    i = (size_t)(e - s);
            }
            continue;
        }
        if (*open && (i == n || !on)) { /* a span's part ends here */
            size_t k = chars(s + from, i - from);
            if (k) {
                double w = zimu__measure_text(m, s + from, i - from) + spacing * (double)k;
                extra += w * (scale - 100) / 100.0;
                *has = 1;
            }
        }
        if (i == n)
            break;
        if (on && !*open)
            from = i + len;
        *open = on;
        i += len - 1;
    }
    return extra;
}
