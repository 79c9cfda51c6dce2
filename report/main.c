/* main.c - tether-report (being built). */
#include <stdio.h>

int
main(void)
{
    fputs("tether-report: not built yet\n", stderr);
    return 3;
}
