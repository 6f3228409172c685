/*
 * check_fuzz_regressions.c — replays, in `make check`, every input kept under
 * tests/fuzz/: the seed corpus (tests/fuzz/corpus/NAME/) and each input that
 * once made a harness fail (tests/fuzz/regressions/NAME/), through the same
 * harness functions libFuzzer runs (tests/fuzz/fuzz_NAME.c), compiled here
 * with the project's own compiler and flags. So a fixed crash stays fixed in
 * every build, the sanitizer and valgrind ones included, without clang.
 *
 * Each input runs in a process of its own (this program again, with
 * "--replay NAME FILE"): a crash, a leak or a broken invariant (the harness
 * aborts) is then reported with the file that caused it, the other inputs
 * still run, and LeakSanitizer sees only what the harness allocated, not the
 * file list of the parent. Exit status 0 if every input passed, 1 if not.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

typedef int (*harness_fn)(const uint8_t *data, size_t size);

static const struct {
    const char *name;
    harness_fn fn;
    void (*free_fn)(void);
} harnesses[] = {
    { "tokenize", passim_fuzz_tokenize, passim_fuzz_tokenize_free },
    { "passages", passim_fuzz_passages, passim_fuzz_passages_free },
    { "query", passim_fuzz_query, passim_fuzz_query_free },
    { "snippet", passim_fuzz_snippet, passim_fuzz_snippet_free },
};

#define N_HARNESSES (sizeof harnesses / sizeof harnesses[0])

/* Read a whole file; NULL (errno set) on failure. */
static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, got;
    uint8_t *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *grown = realloc(buf, cap *= 2);
            if (!grown)
                free(buf);
            buf = grown;
        }
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* The child's side: run harness `name` on one file. */
static int replay_one(const char *name, const char *path)
{
    for (size_t h = 0; h < N_HARNESSES; h++) {
        if (strcmp(harnesses[h].name, name) != 0)
            continue;
        size_t len = 0;
        uint8_t *data = slurp(path, &len);
        if (!data) {
            fprintf(stderr, "check_fuzz_regressions: %s: %s\n", path, strerror(errno));
            return 3;
        }
        /* Exactly len bytes, so that a read past the input shows under the
         * sanitizers and valgrind as it would under libFuzzer. */
        uint8_t *exact = malloc(len ? len : 1);
        if (!exact)
            return 3;
        memcpy(exact, data, len);
        free(data);
        harnesses[h].fn(exact, len);
        harnesses[h].free_fn();
        free(exact);
        return 0;
    }
    fprintf(stderr, "check_fuzz_regressions: no harness '%s'\n", name);
    return 3;
}

/* Run this program on one input in a child process; true if it passed. */
static bool replay(const char *self, const char *name, const char *path)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "check_fuzz_regressions: fork: %s\n", strerror(errno));
        return false;
    }
    if (pid == 0) {
        char *argv[] = { (char *)self, (char *)"--replay", (char *)name, (char *)path, NULL };
        execv(self, argv);
        execv("/proc/self/exe", argv);
        fprintf(stderr, "check_fuzz_regressions: cannot run %s: %s\n", self, strerror(errno));
        _exit(3);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return false;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return true;
    if (WIFSIGNALED(status))
        fprintf(stderr, "FAIL: %s: killed by signal %d\n", path, WTERMSIG(status));
    else
        fprintf(stderr, "FAIL: %s: exit status %d\n", path, WEXITSTATUS(status));
    return false;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replay every regular file of dir (missing: nothing to do), in name order.
 * Adds to *n_run and *n_failed. */
static void replay_dir(const char *self, const char *name, const char *dir, unsigned *n_run,
                       unsigned *n_failed)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char **grown = realloc(names, (n + 1) * sizeof *names);
        if (!grown)
            break;
        names = grown;
        if ((names[n] = strdup(e->d_name)) != NULL)
            n++;
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        char *path;
        struct stat st;
        if (asprintf(&path, "%s/%s", dir, names[i]) < 0) {
            (*n_failed)++;
            path = NULL;
        } else if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            (*n_run)++;
            if (!replay(self, name, path))
                (*n_failed)++;
        }
        free(path);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--replay") == 0)
        return replay_one(argv[2], argv[3]);
    if (argc != 1) {
        fputs("usage: check_fuzz_regressions [--replay NAME FILE]\n", stderr);
        return 2;
    }
    const char *top = getenv("top_srcdir");
    if (!top || !*top)
        top = PASSIM_TOP_SRCDIR;
    unsigned n_run = 0, n_failed = 0;
    for (size_t h = 0; h < N_HARNESSES; h++) {
        static const char *const kinds[] = { "corpus", "regressions" };
        for (size_t k = 0; k < 2; k++) {
            char *dir;
            if (asprintf(&dir, "%s/tests/fuzz/%s/%s", top, kinds[k], harnesses[h].name) < 0)
                return 1;
            replay_dir(argv[0], harnesses[h].name, dir, &n_run, &n_failed);
            free(dir);
        }
    }
    printf("check_fuzz_regressions: %u inputs replayed, %u failed\n", n_run, n_failed);
    if (n_run == 0) {
        fprintf(stderr, "check_fuzz_regressions: no input found under %s/tests/fuzz\n", top);
        return 1;
    }
    return n_failed ? 1 : 0;
}
