/* runlog.c - the run log file (default log.neckmd): a tee of rank 0's output.
 *
 * Everything rank 0 prints - the decomposition and style summaries, warnings, thermo rows,
 * the timing breakdown, and the error that ends a job - goes through stdout or stderr. Rather
 * than route every printf through a logging call, rank 0's stdout and stderr are replaced by
 * glibc cookie streams (fopencookie) whose write function copies each block to the original
 * descriptor (1 or 2) and to the log file. stdout is line buffered and stderr unbuffered, so
 * the log is complete up to the last line even if the job is killed.
 *
 * No file is created before the deck has passed its checks: until runlog_open the copies are
 * kept in memory (the banner and nothing else, since the checks print only on failure) and
 * written after the log's own header: build information and the whole input deck. Executed
 * commands are echoed into the log only ("## deck:line: command").
 *
 * Other ranks print only on error_one (their own stderr); those lines are not in the log. */
#define _GNU_SOURCE
#include "runlog.h"
#include "comm.h"
#include "config.h"
#include "error.h"
#include "sim.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RUNLOG_PENDING_MAX (4u << 20)

struct RunLog;
typedef struct Tee {
    struct RunLog *log;
    int fd;                /* the original descriptor: 1 or 2 */
} Tee;

struct RunLog {
    int fd;                /* the log file; -1 while none is open */
    char path[512];
    int decided;           /* runlog_open was called (a file or "none") */
    char *pending;         /* output before the log opened */
    size_t npending, cap;
    Tee tee[2];
    FILE *orig[2];         /* the original stdout, stderr */
    FILE *stream[2];       /* the cookie streams standing in for them */
};
typedef struct RunLog RunLog;

static void write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return; /* a full disk must not stop the run: the screen copy still works */
        buf += w;
        n -= (size_t)w;
    }
}

static ssize_t tee_write(void *cookie, const char *buf, size_t n)
{
    Tee *t = cookie;
    RunLog *l = t->log;
    write_all(t->fd, buf, n);
    if (l->fd >= 0) {
        write_all(l->fd, buf, n);
    } else if (!l->decided && l->npending + n <= RUNLOG_PENDING_MAX) {
        if (l->npending + n > l->cap) {
            size_t cap = (l->npending + n) * 2 + 4096;
            char *p = realloc(l->pending, cap);
            if (!p) return (ssize_t)n;
            l->pending = p;
            l->cap = cap;
        }
        memcpy(l->pending + l->npending, buf, n);
        l->npending += n;
    }
    return (ssize_t)n;
}

void runlog_begin(Sim *sim)
{
    if (sim->rank != 0 || sim->runlog) return;
    RunLog *l = calloc(1, sizeof *l);
    l->fd = -1;
    sim->runlog = l;
    cookie_io_functions_t io = {NULL, tee_write, NULL, NULL};
    fflush(stdout);
    fflush(stderr);
    l->orig[0] = stdout;
    l->orig[1] = stderr;
    for (int k = 0; k < 2; k++) {
        l->tee[k].log = l;
        l->tee[k].fd = k + 1;
        l->stream[k] = fopencookie(&l->tee[k], "w", io);
        if (!l->stream[k]) continue;
        setvbuf(l->stream[k], NULL, k == 0 ? _IOLBF : _IONBF, k == 0 ? 8192 : 0);
    }
    if (l->stream[0]) stdout = l->stream[0];
    if (l->stream[1]) stderr = l->stream[1];
}

static void log_text(RunLog *l, const char *s) { write_all(l->fd, s, strlen(s)); }

static void write_header(Sim *sim, RunLog *l)
{
    char buf[2048], host[256] = "?", cwd[1024] = "?", when[64] = "?";
    gethostname(host, sizeof host);
    host[sizeof host - 1] = '\0';
    if (!getcwd(cwd, sizeof cwd)) snprintf(cwd, sizeof cwd, "?");
    time_t now = time(NULL);
    struct tm tm;
    if (localtime_r(&now, &tm)) strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %Z", &tm);
    snprintf(buf, sizeof buf,
             "neckmd %s run log (git %s)\nstarted %s on %s in %s\nbuild: %s, flags %s\nparallel: %d MPI ranks x %d OpenMP threads\n"
             "input deck %s:\n",
             PACKAGE_VERSION, NECKMD_GIT, when, host, cwd, NECKMD_CC, NECKMD_CFLAGS, sim->nranks, sim->nthreads, sim->input_file);
    log_text(l, buf);
    const char *p = sim->input_echo ? sim->input_echo : "";
    for (int ln = 1; *p; ln++) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        snprintf(buf, sizeof buf, "%5d| %.*s\n", ln, (int)(n < 1900 ? n : 1900), p);
        log_text(l, buf);
        p += n + (e ? 1 : 0);
    }
    log_text(l, "---- output (rank 0's stdout and stderr, as printed) ----\n");
}

void runlog_open(Sim *sim, const char *path, int append, const char *where)
{
    char err[800] = "";
    RunLog *l = sim->runlog;
    if (sim->rank == 0 && l) {
        int none = strcmp(path, "none") == 0;
        if (!(l->decided && ((none && l->fd < 0) || (!none && l->fd >= 0 && strcmp(l->path, path) == 0)))) {
            fflush(stdout);
            fflush(stderr);
            if (l->fd >= 0) close(l->fd);
            l->fd = -1;
            if (!none) {
                l->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0644);
                if (l->fd < 0) snprintf(err, sizeof err, "%s: log: cannot write '%s': %s", where, path, strerror(errno));
                else {
                    snprintf(l->path, sizeof l->path, "%s", path);
                    write_header(sim, l);
                    if (l->pending) write_all(l->fd, l->pending, l->npending);
                }
            }
            l->decided = 1;
            free(l->pending);
            l->pending = NULL;
            l->npending = l->cap = 0;
        }
    }
    comm_bcast(sim->comm, err, sizeof err, 0);
    if (err[0]) error_all(FLERR, "%s", err);
}

void runlog_echo(Sim *sim, const char *where, char **tok, int ntok)
{
    RunLog *l = sim->runlog;
    if (!l || l->fd < 0) return;
    char buf[2048];
    int n = snprintf(buf, sizeof buf, "## %s:", where);
    for (int k = 0; k < ntok && n < (int)sizeof buf - 2; k++) n += snprintf(buf + n, sizeof buf - (size_t)n, " %s", tok[k]);
    if (n > (int)sizeof buf - 2) n = (int)sizeof buf - 2;
    buf[n++] = '\n';
    fflush(stdout);
    write_all(l->fd, buf, (size_t)n);
}

void runlog_end(Sim *sim)
{
    RunLog *l = sim->runlog;
    if (!l) return;
    fflush(stdout);
    fflush(stderr);
    stdout = l->orig[0];
    stderr = l->orig[1];
    for (int k = 0; k < 2; k++)
        if (l->stream[k]) fclose(l->stream[k]);
    if (l->fd >= 0) close(l->fd);
    free(l->pending);
    free(l);
    sim->runlog = NULL;
}
