/* distance.h - how far a misspelt name is from a right one, for "did you
 * mean ...?" in messages. */
#ifndef ZIMU_DISTANCE_H
#define ZIMU_DISTANCE_H

#include <stddef.h>

/* Edit distance (Levenshtein: insertions, deletions, substitutions) of
 * a[0..na) and b, ASCII letters of a compared in lower case (b: a name
 * written in lower case). 99 for strings longer than 32 bytes. */
int zimu__edit_distance(const char *a, size_t na, const char *b);

/* The name of list[0..n) (NULL entries skipped) nearest to w[0..nw), when
 * it is near enough to be a slip of the keyboard (at most 2 edits, and
 * fewer than the name's length), else NULL. The first of equals wins. */
const char *zimu__nearest(const char *w, size_t nw, const char *const *list, size_t n);

/* "; did you mean 'x'?" in buf for the nearest of list (as zimu__nearest),
 * or "". Returns buf. */
const char *zimu__did_you_mean(const char *w, const char *const *list, size_t n, char *buf,
                               size_t size);

#endif
