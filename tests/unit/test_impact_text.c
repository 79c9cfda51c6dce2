/* test_impact_text.c - the sentences report/impact.c writes for the
 * practices of SPEC 3.7: an effect in words when the adjusted p is below
 * 0.05 and the groups are large enough, "no clear difference" otherwise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../report/report.h"

static char *
sentence(const char *json)
{
    json_error_t e;
    json_t *row = json_loads(json, 0, &e);
    assert_non_null(row);
    char *s = report_practice_sentence(row);
    json_decref(row);
    return s;
}

static void
practice_sentences(void **state)
{
    (void)state;
    /* SPEC 3.7's own example. */
    char *s = sentence("{\"practice\": \"summary\", \"scope\": "
                       "\"long_distance\", \"hazard_ratio\": 0.52, "
                       "\"p_holm\": 0.01, \"small\": false}");
    assert_string_equal(s, "Long-distance pairs that sent a summary after "
                           "their calls went quiet at about half the rate "
                           "of the others (hazard ratio 0.52, adjusted p = "
                           "0.01).");
    free(s);
    s = sentence("{\"practice\": \"reasonable_hours\", \"scope\": \"all\", "
                 "\"hazard_ratio\": 0.7143, \"p_holm\": 0.0004, \"small\": "
                 "false}");
    assert_string_equal(s, "Pairs that kept their meetings within reasonable "
                           "hours for both went quiet at about 71% of the "
                           "rate of the others (hazard ratio 0.71, adjusted "
                           "p < 0.001).");
    free(s);
    /* p_holm >= 0.05: no clear difference, whatever the ratio. */
    s = sentence("{\"practice\": \"mentee_chose\", \"scope\": \"all\", "
                 "\"hazard_ratio\": 0.2, \"p_holm\": 0.629, \"small\": "
                 "false}");
    assert_string_equal(s, "Pairs whose mentee took part in choosing the "
                           "mentor: no clear difference in how soon they "
                           "went quiet (hazard ratio 0.20, adjusted p = "
                           "0.63).");
    free(s);
    /* A small group draws no conclusion even with a small p. */
    s = sentence("{\"practice\": \"in_person\", \"scope\": "
                 "\"long_distance\", \"hazard_ratio\": 1.9, \"p_holm\": "
                 "0.003, \"small\": true}");
    assert_string_equal(s, "Long-distance pairs that met in person at least "
                           "once: a small group, so no clear difference can "
                           "be claimed in how soon they went quiet (hazard "
                           "ratio 1.90, adjusted p = 0.003).");
    free(s);
    /* No test (an empty side, or the initiator unknown). */
    s = sentence("{\"practice\": \"mentee_reached_out\", \"scope\": \"all\", "
                 "\"hazard_ratio\": null, \"p_holm\": null, \"small\": "
                 "true}");
    assert_string_equal(s, "Pairs whose mentee reached out between meetings: "
                           "no clear difference (too few pairs on one side, "
                           "or not recorded, to test).");
    free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(practice_sentences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
