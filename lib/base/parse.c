/* parse.c - the text forms of times, offsets, frame sizes and ratios that a
 * command line or a settings file uses, so every program reads them alike.
 * Strict: no spaces, no exponents, no locale. */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "internal.h"

int zimu_parse_time(const char *text, int64_t *ms)
{
    if (!text || !*text || !ms)
        return ZIMU_EINVAL;
    const char *p = text;
    int64_t parts[3];
    int n = 0;
    for (;;) {
        if (!isdigit((unsigned char)*p))
            return ZIMU_EINVAL;
        int64_t v = 0;
        while (isdigit((unsigned char)*p)) {
            v = v * 10 + (*p++ - '0');
            if (v > 100000000)
                return ZIMU_EINVAL;
        }
        if (n == 3)
            return ZIMU_EINVAL;
        parts[n++] = v;
        if (*p != ':')
            break;
        p++;
    }
    /* minutes and seconds after a colon stay below 60 */
    for (int i = 1; i < n; i++)
        if (parts[i] >= 60)
            return ZIMU_EINVAL;
    int64_t frac = 0;
    if (*p == '.' || *p == ',') {
        p++;
        int digits = 0;
        if (!isdigit((unsigned char)*p))
            return ZIMU_EINVAL;
        while (isdigit((unsigned char)*p)) {
            if (digits < 3)
                frac = frac * 10 + (*p - '0');
            digits++;
            p++;
        }
        for (; digits < 3; digits++)
            frac *= 10;
    }
    if (*p)
        return ZIMU_EINVAL;
    int64_t s = 0;
    for (int i = 0; i < n; i++)
        s = s * 60 + parts[i];
    *ms = s * 1000 + frac;
    return 0;
}

int zimu_parse_offset(const char *text, int64_t *ms)
{
    if (!text || !ms)
        return ZIMU_EINVAL;
    int neg = *text == '-';
    if (*text == '-' || *text == '+')
        text++;
    int64_t v;
    if (zimu_parse_time(text, &v) < 0)
        return ZIMU_EINVAL;
    *ms = neg ? -v : v;
    return 0;
}

/* Whole number of 1..5 digits at *p, advancing *p; -1 if none or longer. */
static long dimension(const char **p)
{
    const char *s = *p;
    long v = 0;
    int n = 0;
    while (isdigit((unsigned char)*s)) {
        if (++n > 5)
            return -1;
        v = v * 10 + (*s++ - '0');
    }
    if (!n)
        return -1;
    *p = s;
    return v;
}

int zimu_parse_size(const char *text, int *width, int *height)
{
    if (!text || !width || !height)
        return ZIMU_EINVAL;
    const char *p = text;
    long w = dimension(&p);
    if (w < 0 || (*p != 'x' && *p != 'X'))
        return ZIMU_EINVAL;
    p++;
    long h = dimension(&p);
    if (h < 0 || *p || w < 16 || h < 16 || w > 16384 || h > 16384)
        return ZIMU_EINVAL;
    *width = (int)w;
    *height = (int)h;
    return 0;
}

int zimu__parse_decimal(const char *s, size_t n, double *out)
{
    double v = 0, scale = 1;
    int digits = 0, dot = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            if (dot) {
                scale /= 10;
                v += (s[i] - '0') * scale;
            } else {
                v = v * 10 + (s[i] - '0');
            }
            if (++digits > 12)
                return -1;
        } else if (s[i] == '.' && !dot) {
            dot = 1;
        } else {
            return -1;
        }
    }
    if (!digits)
        return -1;
    *out = v;
    return 0;
}

/* "12", "1.25", ".5", "3." at *p, advancing *p; -1 if no digit. */
static double decimal(const char **p)
{
    const char *s = *p;
    double v = 0, scale = 1;
    int digits = 0;
    while (isdigit((unsigned char)*s)) {
        v = v * 10 + (*s++ - '0');
        digits++;
    }
    if (*s == '.') {
        s++;
        while (isdigit((unsigned char)*s)) {
            scale /= 10;
            v += (*s++ - '0') * scale;
            digits++;
        }
    }
    if (!digits)
        return -1;
    *p = s;
    return v;
}

int zimu_parse_ratio(const char *text, double *value)
{
    if (!text || !value)
        return ZIMU_EINVAL;
    const char *p = text;
    double v = decimal(&p);
    if (v < 0)
        return ZIMU_EINVAL;
    if (*p == '/') {
        p++;
        double d = decimal(&p);
        if (!(d > 0))
            return ZIMU_EINVAL;
        v /= d;
    }
    if (*p || !(v > 0) || !isfinite(v))
        return ZIMU_EINVAL;
    *value = v;
    return 0;
}

int zimu_parse_bytes(const char *text, int64_t *bytes)
{
    if (!text || !bytes || !isdigit((unsigned char)*text))
        return ZIMU_EINVAL;
    const char *p = text;
    int64_t v = 0;
    while (isdigit((unsigned char)*p)) {
        v = v * 10 + (*p++ - '0');
        if (v > ((int64_t)1 << 50))
            return ZIMU_EINVAL;
    }
    static const char units[] = "KMGT";
    int shift = 0;
    const char *u = *p ? strchr(units, toupper((unsigned char)*p)) : NULL;
    if (u) {
        shift = 10 * (int)(u - units + 1);
        p++;
        if (*p == 'i')
            p++;
    }
    if (*p == 'B' || (*p == 'b' && shift))
        p++;
    if (*p)
        return ZIMU_EINVAL;
    if (v > (INT64_MAX >> shift))
        return ZIMU_EINVAL;
    *bytes = v << shift;
    return 0;
}
