/* main.c - tether-analyze (being built). */
#include <stdio.h>

int
main(void)
{
    fputs("tether-analyze: not built yet\n", stderr);
    return 3;
}
