/*
 * stdfds.c — standard input, output and error held open for both programs.
 *
 * Started with one of them closed (`passim-index ... >&-`), a program would
 * get that descriptor back from the next open(): Xapian's lock file or a
 * database table would become "standard output", and the summary would be
 * written into the index. Each closed one is opened on /dev/null instead,
 * read-only, so that writing to it still fails and is reported.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "text.h"

bool text_hold_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        int got = open("/dev/null", O_RDONLY);
        if (got != fd) {
            if (got >= 0)
                close(got);
            if (fd != 2 && fcntl(2, F_GETFD) != -1)
                (void)!write(2, "cannot open /dev/null for a closed standard stream\n", 51);
            return false;
        }
    }
    return true;
}
