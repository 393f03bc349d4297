/* textfile.c - input and parameter files are read by rank 0 and broadcast, so every rank
 * parses the same text and detects the same errors at the same time (collective errors). */
#include "textfile.h"
#include "comm.h"
#include "error.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *textfile_read_all(Comm *comm, const char *path, const char *where)
{
    long long n = -1;
    char *buf = NULL;
    char err[512] = "";
    if (comm_rank(comm) == 0) {
        FILE *fp = fopen(path, "rb");
        if (!fp) {
            snprintf(err, sizeof err, "%s: cannot open '%s': %s", where, path, strerror(errno));
        } else {
            size_t cap = 65536, len = 0, got;
            buf = malloc(cap);
            while (buf && (got = fread(buf + len, 1, cap - len - 1, fp)) > 0) {
                len += got;
                if (len + 1 == cap) {
                    cap *= 2;
                    char *nb = realloc(buf, cap);
                    if (!nb) { free(buf); buf = NULL; }
                    buf = nb;
                }
            }
            if (ferror(fp)) snprintf(err, sizeof err, "%s: error reading '%s': %s", where, path, strerror(errno));
            fclose(fp);
            if (!buf) snprintf(err, sizeof err, "%s: out of memory reading '%s'", where, path);
            else { buf[len] = '\0'; n = (long long)len; }
            if (buf && memchr(buf, '\0', len)) snprintf(err, sizeof err, "%s: '%s' is not a text file (it contains NUL bytes)", where, path);
        }
    }
    comm_bcast(comm, err, sizeof err, 0);
    if (err[0]) error_all(FLERR, "%s", err);
    comm_bcast(comm, &n, sizeof n, 0);
    if (comm_rank(comm) != 0) buf = malloc((size_t)n + 1);
    comm_bcast(comm, buf, (size_t)n + 1, 0);
    return buf;
}

int textfile_lines(char *text, char ***lines)
{
    int n = 0, cap = 64;
    char **l = malloc(sizeof(char *) * (size_t)cap);
    char *p = text;
    while (*p) {
        if (n == cap) { cap *= 2; l = realloc(l, sizeof(char *) * (size_t)cap); }
        l[n++] = p;
        char *e = strchr(p, '\n');
        if (!e) break;
        *e = '\0';
        if (e > p && e[-1] == '\r') e[-1] = '\0';
        p = e + 1;
    }
    *lines = l;
    return n;
}

int textfile_tokens(char *line, char **tok, int max)
{
    char *h = strchr(line, '#');
    if (h) *h = '\0';
    int n = 0;
    for (char *p = strtok(line, " \t\r"); p; p = strtok(NULL, " \t\r")) {
        if (n < max) tok[n] = p;
        n++;
    }
    return n;
}

int textfile_split(char *s, char **tok, int max)
{
    int n = 0;
    for (char *p = strtok(s, " \t\r\n"); p; p = strtok(NULL, " \t\r\n")) {
        if (n < max) tok[n] = p;
        n++;
    }
    return n;
}

int textfile_double(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return end != s && *end == '\0' && errno == 0 && isfinite(*v);
}

int textfile_long(const char *s, long long *v)
{
    char *end;
    errno = 0;
    *v = strtoll(s, &end, 10);
    return end != s && *end == '\0' && errno == 0;
}
