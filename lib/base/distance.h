/* distance.h - how far a misspelt name is from a right one, for "did you
 * mean ...?" in messages. */
#ifndef ZIMU_DISTANCE_H
#define ZIMU_DISTANCE_H

#include <stddef.h>

/* Edit distance (Levenshtein: insertions, deletions, substitutions) of
 * a[0..na) and b, ASCII letters of a compared in lower case (b: a name
 * written in lower case). 99 for strings longer than 32 bytes. */
int zimu__edit_distance(const char *a, size_t na, const char *b);

#endif
