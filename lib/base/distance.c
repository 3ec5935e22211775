/* distance.c - edit distance of short names, for "did you mean ...?". */
#include <string.h>

#include "distance.h"

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
