/* util_sentences.c - see util_sentences.h. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util_sentences.h"

int tu_load_sentences(char **v, int max, int min)
{
    const char *paths[] = {"tests/data/sentences.txt", "../tests/data/sentences.txt",
                           "data/sentences.txt"};
    FILE *f = NULL;
    for (size_t i = 0; !f && i < sizeof paths / sizeof *paths; i++)
        f = fopen(paths[i], "r");
    ck_assert_msg(f != NULL, "tests/data/sentences.txt not found (run from the top)");
    char line[8192];
    int n = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        if (len)
            ck_assert_ptr_nonnull(v[n++] = strdup(line));
    }
    fclose(f);
    ck_assert_int_ge(n, min);
    return n;
}

void tu_free_sentences(char **v, int n)
{
    for (int i = 0; i < n; i++) {
        free(v[i]);
        v[i] = NULL;
    }
}
