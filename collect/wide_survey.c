/* wide_survey.c - wide survey exports read through a question map. */
#include "collect.h"

#include <stdio.h>

int
wide_survey_load(struct import *imp)
{
    snprintf(imp->errbuf, TETHER_ERRBUF,
             "%s: wide survey exports (--map) are not supported yet",
             imp->path);
    return -1;
}
