/* fuzz_survey.c - libFuzzer target: survey imports (collect/survey.c and
 * wide_survey.c): the question map with a wide export, questions.csv and
 * the long responses.csv, loaded into a database with a roster and pairs,
 * then rolled back.
 *
 * The first byte picks the reader. For a wide export the input is the
 * question map, a line "====", and the export, so both are fuzzed
 * together. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned sel = data[0] % 3;
    const char *text = (const char *)data + 1;
    size_t n = size - 1;
    struct collect_opts o = {.quiet = 1, .default_tz = "UTC",
                             .survey_id = data[0] & 4 ? "S1" : NULL,
                             .tz = data[0] & 8 ? "Europe/Berlin" : NULL};
    if (sel == 0) {
        const char *sep = NULL;
        for (size_t i = 0; i + 6 <= n && !sep; i++)
            if (memcmp(text + i, "\n====\n", 6) == 0)
                sep = text + i;
        if (!sep)
            return 0;
        size_t mn = (size_t)(sep - text) + 1;
        o.map = fuzz_write("in2", text, mn);
        const char *path = fuzz_write("in", sep + 6, n - mn - 5);
        fuzz_import(&o, path, "survey", "wide", wide_survey_load);
    } else {
        const char *path = fuzz_write("in", text, n);
        if (sel == 1)
            fuzz_import(&o, path, "questions", "csv", questions_load);
        else
            fuzz_import(&o, path, "survey", "csv", responses_load);
    }
    return 0;
}
