/* Numbers given on the command line. */
#include "text.h"

bool text_parse_count(const char *s, unsigned long max, unsigned long *out)
{
    unsigned long n = 0;
    if (*s == '\0')
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned long d = (unsigned long)(*s - '0');
        if (d > max || n > (max - d) / 10)
            return false;
        n = n * 10 + d;
    }
    *out = n;
    return true;
}
