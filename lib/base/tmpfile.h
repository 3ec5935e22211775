/* tmpfile.h - outputs are written under a temporary name and renamed. */
#ifndef ZIMU_TMPFILE_H
#define ZIMU_TMPFILE_H

/* Create a new empty file "<dir>/<prefix>XXXXXXXX<suffix>" exclusively,
 * with mode 0666 minus the umask (mkstemp would make it 0600, and a renamed
 * output should get the permissions any new file gets). Returns the
 * malloc'd name, or NULL with errno set. */
char *zimu__temp_create(const char *dir, const char *prefix, const char *suffix);

/* The same, beside path: "<dir of path>/.<name>.zimu-XXXXXXXX.part". */
char *zimu__temp_beside(const char *path);

#endif
