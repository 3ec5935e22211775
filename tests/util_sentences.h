/* util_sentences.h - the real sentences of tests/data/sentences.txt (one a
 * line: lecture, notice and news text), for the suites that lay them out. */
#ifndef TU_SENTENCES_H
#define TU_SENTENCES_H

/* Read the non-empty lines (found from the top of the tree, from tests/ or
 * from its parent) into v[0..max), malloc'd; the test fails when the file
 * is missing or has fewer than min. Returns how many. */
int tu_load_sentences(char **v, int max, int min);
/* Free v[0..n). */
void tu_free_sentences(char **v, int n);

#endif
