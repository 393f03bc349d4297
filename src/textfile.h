/* textfile.h - read a whole text file on rank 0 and give every rank a copy. */
#ifndef NECKMD_TEXTFILE_H
#define NECKMD_TEXTFILE_H
typedef struct Comm Comm;

/* Returns a malloc'ed NUL-terminated copy of the file on every rank, or, if it cannot be
 * read, stops every rank with an error naming the file and 'where' (e.g. "in.md:3"). */
char *textfile_read_all(Comm *comm, const char *path, const char *where);
/* Split text into lines in place: returns the number of lines; *lines (malloc'ed) points
 * into text. Trailing '\r' is removed. */
int textfile_lines(char *text, char ***lines);
/* Tokenise a line in place on blanks; a '#' starts a comment (quotes are not special).
 * Returns the count; at most max tokens are stored. */
int textfile_tokens(char *line, char **tok, int max);

/* Split s in place on blanks (no comment handling); returns the count, stores at most max. */
int textfile_split(char *s, char **tok, int max);
/* 1 if s is entirely a finite number (stored in *v). */
int textfile_double(const char *s, double *v);
/* 1 if s is entirely an integer (stored in *v). */
int textfile_long(const char *s, long long *v);

#endif
