/* timeparse.c - "90", "1.5", "01:30", "1:02:03.250" -> milliseconds. */
#include <ctype.h>

#include "internal.h"

int zimu_parse_time(const char *text, int64_t *ms)
{
    if (!text || !*text)
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
