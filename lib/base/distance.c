/* distance.c - edit distance of short names, for "did you mean ...?". */
#include <stdio.h>
#include <string.h>

#include <zimu.h>

#include "distance.h"
#include "internal.h"

int zimu__edit_distance(const char *a, size_t na, const char *b)
{
    size_t nb = strlen(b);
    if (na > 32 || nb > 32)
        return 99;
    int d[33][33];
    for (size_t i = 0; i <= na; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= na; i++)
        for (size_t j = 1; j <= nb; j++) {
            int x = (unsigned char)a[i - 1];
            if (x >= 'A' && x <= 'Z')
                x += 'a' - 'A';
            int v = d[i - 1][j - 1] + (x != (unsigned char)b[j - 1]);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            d[i][j] = v;
        }
    return d[na][nb];
}

const char *zimu__nearest(const char *w, size_t nw, const char *const *list, size_t n)
{
    const char *best = NULL;
    int best_d = 3;
    for (size_t i = 0; w && i < n; i++) {
        if (!list[i])
            continue;
        int d = zimu__edit_distance(w, nw, list[i]);
        if (d < best_d && d < (int)strlen(list[i])) {
            best_d = d;
            best = list[i];
        }
    }
    return best;
}

const char *zimu__did_you_mean(const char *w, const char *const *list, size_t n, char *buf,
                               size_t size)
{
    const char *best = w ? zimu__nearest(w, strlen(w), list, n) : NULL;
    if (best)
        snprintf(buf, size, zimu__tr("; did you mean '%s'?"), best);
    else if (size)
        buf[0] = 0;
    return buf;
}

const char *zimu_nearest_name(const char *word, const char *const *names)
{
    if (!word || !names)
        return NULL;
    size_t n = 0;
    while (names[n])
        n++;
    return zimu__nearest(word, strlen(word), names, n);
}
