/* err.c - descriptions of the error codes. */
#include "tether/err.h"

const char *
tether_strerror(enum tether_err err)
{
    /* No default: the compiler names a missing case. */
    switch (err) {
    case TETHER_OK:
        return "success";
    case TETHER_ERR_IO:
        return "input/output error";
    case TETHER_ERR_DB:
        return "database error";
    case TETHER_ERR_FORMAT:
        return "unexpected format";
    case TETHER_ERR_ENCODING:
        return "invalid text encoding";
    case TETHER_ERR_VALUE:
        return "invalid value";
    case TETHER_ERR_NOTFOUND:
        return "not found";
    case TETHER_ERR_SCHEMA:
        return "database schema is newer than this program";
    case TETHER_ERR_USAGE:
        return "invalid usage";
    }
    return "unknown error";
}
