/* main.c - tether-sample (being built). */
#include <stdio.h>

int
main(void)
{
    fputs("tether-sample: not built yet\n", stderr);
    return 3;
}
