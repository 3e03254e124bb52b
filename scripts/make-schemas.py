#!/usr/bin/env python3
"""Writes docs/schema/*.schema.json, the JSON Schemas (draft 2020-12) of every command's output.

The schemas are generated from the tables below so that shared result types (a bootstrap
interval, a test result, ...) are written once; edit here and rerun, then commit both.
usage: scripts/make-schemas.py [OUTDIR]   (default docs/schema)
"""
import json
import os
import sys

NUM = {"type": ["number", "null"]}
NUMBER = {"type": "number"}
COUNT = {"type": "integer", "minimum": 0}
COUNT_OR_NULL = {"type": ["integer", "null"], "minimum": 0}
STR = {"type": "string"}
STR_OR_NULL = {"type": ["string", "null"]}
BOOL = {"type": "boolean"}
STRINGS = {"type": "array", "items": STR}
TEST = {"enum": ["signflip", "sign", "wilcoxon", "t"]}


def obj(properties, optional=()):
    """An object with exactly these keys, all required except `optional`."""
    return {
        "type": "object",
        "properties": properties,
        "required": [k for k in properties if k not in optional],
        "additionalProperties": False,
    }


def nullable(schema):
    return {"anyOf": [{"type": "null"}, schema]}


def ref(name):
    return {"$ref": f"#/$defs/{name}"}


DEFS = {
    "input": obj({"n": COUNT_OR_NULL, "source": STR, "endpoints": STRINGS,
                  # Per endpoint: patients used, direction, the difference taken (null for
                  # --values), the selected patients left out for a missing value.
                  "analysed": {"type": "array", "items": obj({
                      "endpoint": STR, "n": COUNT, "direction": {"enum": ["lower-is-better", "higher-is-better"]},
                      "difference": STR_OR_NULL, "left_out": STRINGS})},
                  # The row conditions (--where) that selected the patients.
                  "where": STRINGS}),
    "bootstrap_interval": obj({
        "method": {"enum": ["percentile", "basic", "normal", "studentized", "bca", "calibrated"]},
        "level": NUMBER, "lower": NUM, "upper": NUM,
        "mc_se_lower": NUM, "mc_se_upper": NUM, "note": STR_OR_NULL}),
    "distribution": obj({"values": {"type": "array", "items": NUMBER},
                         "weights": {"type": "array", "items": NUMBER}}),
    "test_result": obj({
        "test": {"enum": ["signflip", "sign", "wilcoxon", "t"]},
        "endpoint": STR,  # in test's output; the report names the effect instead
        "statistic": STR, "observed": NUM, "p_value": NUM, "mid_p": NUM,
        "alternative": {"enum": ["two-sided", "greater", "less"]},
        "exact": BOOL, "method": STR, "n": COUNT, "n_nonzero": COUNT,
        "smallest_attainable_p": NUM, "two_sided_convention": STR,
        "mc_se": NUM, "resamples": COUNT_OR_NULL, "seed": COUNT_OR_NULL,
        "relative_error_bound": NUM, "log10_p_value": NUM, "df": NUM,
        "null_distribution": nullable(ref("distribution")), "notes": STRINGS,
        # In test's output: the interval that inverts this test, and whether the two agree
        # (p <= 1 - level exactly when the interval excludes 0; null when not comparable). The
        # sign-flip set ("mean") and the Wilcoxon set ("pseudo_median", tied_signed_rank_inversion)
        # invert the tests themselves; Hodges-Lehmann (untied test) is under estimates.
        "confidence_set": {"allOf": [ref("interval_estimate")],
                           "properties": {"agrees_with_test": {"type": ["boolean", "null"]}},
                           "required": ["agrees_with_test"]}},
        optional=("endpoint", "confidence_set")),
    "interval_estimate": {**obj({
        "name": STR_OR_NULL, "estimate": NUM, "lower": NUM, "upper": NUM, "level": NUM, "achieved_level": NUM,
        "exact": {"type": ["boolean", "null"]}, "method": STR_OR_NULL,
        # one_sided: a bound whose other end is infinite; inverts: the test this interval inverts.
        "one_sided": BOOL, "inverts": nullable(TEST), "resamples": COUNT_OR_NULL,
        "mc_se_lower": NUM, "mc_se_upper": NUM, "agrees_with_test": {"type": ["boolean", "null"]},
        "notes": STRINGS}, optional=("agrees_with_test",))},
    "ordinal_test": obj({
        "test": {"enum": ["stuart_maxwell", "bhapkar", "bowker", "mcnemar"]},
        "statistic": NUM, "df": NUMBER, "p_value": NUM, "mid_p": NUM, "asymptotic_p": NUM, "exact": BOOL,
        "method": {"enum": ["exact_conditional", "monte_carlo", "binomial"]}, "mc_se": NUM,
        "resamples": COUNT_OR_NULL, "combinations": NUM, "notes": STRINGS}),
    "proportion": obj({
        "label": STR, "successes": COUNT, "trials": COUNT, "estimate": NUMBER, "level": NUMBER,
        "intervals": {"type": "object",
                      "additionalProperties": obj({"lower": NUMBER, "upper": NUMBER})}}),
    "power_point": obj({"test": TEST, "n": COUNT, "power": NUM, "mc_se": NUM, "rejections": COUNT,
                        "inexact_trials": COUNT, "undefined_trials": COUNT}),
    "required_n": obj({"test": TEST, "n": COUNT_OR_NULL, "n_low": COUNT_OR_NULL,
                       "n_high": COUNT_OR_NULL}),
    "method_coverage": obj({
        "n": COUNT, "bootstrap_mode": STR, "method": STR, "parameter": STR, "true_value": NUM, "coverage": NUM,
        "mc_se": NUM, "covered": COUNT,
        "undefined": COUNT, "coverage_all_trials": NUM, "mc_se_all_trials": NUM, "mean_length": NUM}),
}

BOOTSTRAP_RESULT = {
    "n": COUNT, "statistic": STR, "estimate": NUM,
    "mode": {"enum": ["exact", "monte-carlo"]}, "mode_reason": STR, "algorithm": STR,
    "resamples": COUNT_OR_NULL, "resamples_log10": NUM, "se": NUM, "bias": NUM,
    "mc_se_se": NUM, "compositions_visited": COUNT_OR_NULL,
    "intervals": {"type": "array", "items": ref("bootstrap_interval")},
    "studentized": nullable(obj({"se_method": {"enum": ["analytic", "jackknife", "nested", "order_statistic"]},
                                 "se_description": STR, "se": NUM, "dropped_zero_se": COUNT})),
    "note": STR_OR_NULL, "notes": STRINGS,
}
DEFS["bootstrap_result"] = obj(BOOTSTRAP_RESULT)


def envelope(command):
    return {
        "schema_version": {"const": 1},
        "engine_version": STR,
        "command": {"const": command},
        "seed": COUNT_OR_NULL,
        "threads": COUNT,
        "input": ref("input"),
    }


def command_schema(command, title, properties, defs):
    schema = obj({**envelope(command), **properties})
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://github.com/resample/resample/docs/schema/{command}.schema.json",
            "title": title, **schema,
            "$defs": {k: DEFS[k] for k in ["input", *defs]}}


# An effect size that is a statistic (rank_biserial, superiority) with its exact bootstrap
# intervals; mode and algorithm null (and no intervals) when the exact bootstrap is infeasible.
EFFECT_SIZE = obj({"name": STR, "estimate": NUM, "mode": nullable({"const": "exact"}), "algorithm": STR_OR_NULL,
                   "intervals": {"type": "array", "items": ref("bootstrap_interval")}, "notes": STRINGS})
ESTIMATES = obj({"mean": ref("interval_estimate"), "hodges_lehmann": ref("interval_estimate"),
                 "median": ref("interval_estimate"),
                 "proportions": {"type": "array", "items": ref("proportion")},
                 "effect_sizes": obj({"rank_biserial": EFFECT_SIZE, "superiority": EFFECT_SIZE,
                                      "d_z": ref("interval_estimate"),
                                      "changes": obj({"improved": COUNT, "unchanged": COUNT, "worsened": COUNT})})})

SCHEMAS = {
    "bootstrap": command_schema("bootstrap", "resample bootstrap --format json", {
        **BOOTSTRAP_RESULT, "endpoint": STR, "level": NUMBER}, ["bootstrap_interval"]),
    "test": command_schema("test", "resample test --format json", {
        "n": COUNT, "alternative": STR, "level": NUMBER,
        "endpoints": {"type": "array", "items": obj({
            "name": STR, "n": COUNT,
            "tests": {"type": "array",
                      "items": {"allOf": [ref("test_result")], "required": ["endpoint"]}},
            "estimates": ESTIMATES})},
        "proportions": {"type": "array", "items": ref("proportion")},
        "adjusted": nullable({"type": "array", "items": obj({
            "endpoint": STR, "standardized_statistic": NUM, "p_value": NUM, "max_t_p": NUM,
            "holm_p": NUM, "max_t_mc_se": NUM})}),
        "adjustment": nullable(obj({
            "method": STR, "exact": BOOL, "resamples": COUNT, "seed": COUNT_OR_NULL,
            "n": COUNT, "left_out": STRINGS, "n_nonzero": COUNT, "smallest_attainable_p": NUM, "statistic": STR, "max_t": STR,
            "holm": STR, "notes": STRINGS})),
    }, ["test_result", "distribution", "interval_estimate", "proportion", "bootstrap_interval"]),
    "ordinal": command_schema("ordinal", "resample ordinal --format json", {
        "endpoints": {"type": "array", "items": obj({
            "name": STR, "n": COUNT,
            # counts[i][j]: patients with pre = levels[i] and post = levels[j].
            "table": obj({"levels": {"type": "array", "items": NUMBER},
                          "counts": {"type": "array", "items": {"type": "array", "items": COUNT}},
                          "n": COUNT, "discordant": COUNT}),
            "tests": {"type": "array", "items": ref("ordinal_test")},
            # The ordered-scores version: the sign-flip test of the mean level change.
            "linear_by_linear": ref("test_result"),
            "mcnemar": nullable(obj({
                "threshold": NUMBER, "positive": STR, "both": COUNT, "before_only": COUNT,
                "after_only": COUNT, "neither": COUNT, "test": ref("ordinal_test"), "difference": NUMBER,
                "lower": NUM, "upper": NUM, "level": NUMBER,
                "interval_method": {"const": "newcombe_hybrid_score"},
                # Unconditional on the number of discordant patients: the largest p over the
                # discordant share psi (all of [0, 1]; Berger-Boos: its 1 - gamma interval, + gamma).
                "unconditional": obj({"method": {"const": "suissa_shuster"}, "p_value": NUMBER,
                                      "psi": NUMBER}),
                "berger_boos": obj({"method": {"const": "berger_boos"}, "p_value": NUMBER, "psi": NUMBER,
                                    "gamma": NUMBER}),
                "tango": obj({"method": {"const": "tango_score"}, "lower": NUM, "upper": NUM})}))})},
    }, ["ordinal_test", "test_result", "distribution", "interval_estimate"]),
    "power": command_schema("power", "resample power --format json", {
        "tests": {"type": "array", "items": TEST, "minItems": 1},
        # The sign-flip test's statistic; null when no sign-flip test runs.
        "statistic": STR_OR_NULL, "model": STR,
        "model_description": STR, "alternative": STR, "alpha": NUMBER, "trials": COUNT,
        "endpoint": STR_OR_NULL, "zeros": STR_OR_NULL, "target_power": NUM,
        # One entry per test with --target-power, none without.
        "required_n": {"type": "array", "items": ref("required_n")},
        "required_n_definition": STR,
        "points": {"type": "array", "items": ref("power_point")}, "notes": STRINGS,
    }, ["power_point", "required_n"]),
    "coverage": command_schema("coverage", "resample coverage --format json", {
        "model": STR, "model_description": STR, "statistic": STR,
        "sizes": {"type": "array", "items": COUNT, "minItems": 1}, "level": NUMBER,
        "trials": COUNT, "endpoint": STR_OR_NULL,
        "methods": {"type": "array", "items": ref("method_coverage")}, "notes": STRINGS,
    }, ["method_coverage"]),
    "plan": command_schema("plan", "resample plan --format json", {
        "recommendation": {"enum": ["exact", "monte-carlo"]}, "resamples": COUNT_OR_NULL,
        "predicted_seconds": NUM, "recommended_command": STR, "reason": STR, "endpoint": STR,
        "n": COUNT, "statistic": STR, "target": STR,
        "precision": obj({"absolute_se": NUM, "relative": NUM, "probability": NUM}),
        "exact": obj({"feasible": BOOL, "algorithm": STR, "work": NUM, "work_unit": STR,
                      "predicted_seconds": NUM, "resamples_log10": NUM, "note": STR}),
        "monte_carlo": obj({
            "available": BOOL, "first_resamples": COUNT_OR_NULL, "pilot_resamples": COUNT_OR_NULL,
            "endpoints": {"type": "array", "items": obj({
                "name": STR, "pilot_value": NUM, "pilot_mc_se": NUM, "target_se": NUM,
                "resamples": COUNT})},
            "resamples": COUNT_OR_NULL, "predicted_mc_se": NUM, "seconds_per_resample": NUM,
            "fixed_seconds": NUM, "calibration_resamples": COUNT_OR_NULL, "resamples_needed": NUM,
            "seconds_needed": NUM, "predicted_seconds": NUM, "note": STR_OR_NULL}),
        "notes": STRINGS, "over_limits": STR_OR_NULL,
    }, []),
}

EFFECT = obj({
    "id": STR, "label": STR, "unit": STR, "direction": {"enum": ["lower-is-better", "higher-is-better"]},
    "difference": STR_OR_NULL,
    "differences": {"type": "array", "items": NUMBER}, "patients": STRINGS, "left_out": STRINGS,
    "n": COUNT, "n_nonzero": COUNT,
    "estimate": NUMBER,
    "bootstrap": obj({**BOOTSTRAP_RESULT, "calibrated": obj({
        "lower": NUM, "upper": NUM, "level": NUMBER, "nominal_level": NUMBER,
        "bootstrap_coverage": NUMBER, "uncalibrated_coverage": NUMBER, "exact": BOOL,
        "algorithm": STR})}),
    "hodges_lehmann": ref("interval_estimate"), "t_interval": ref("interval_estimate"),
    "median": ref("interval_estimate"),
    # The sign-flip confidence set of the mean, the paired effect sizes, and for an endpoint
    # declared ordinal the conditional tests of its (pre, post) table (null otherwise).
    "sign_flip_set": ref("interval_estimate"), "rank_biserial": NUMBER, "superiority": NUMBER,
    "ordinal": nullable(obj({"stuart_maxwell": ref("ordinal_test"), "bhapkar": ref("ordinal_test"),
                             "bowker": ref("ordinal_test")})),
    "tests": {"type": "array", "items": ref("test_result")},
    "smallest_attainable_p": NUMBER, "significant": BOOL, "interval_excludes_zero": BOOL,
    "fragile": BOOL,
    "leave_one_out": {"type": "array", "items": obj({
        "patient_left_out": STR, "estimate": NUMBER, "n_nonzero": COUNT, "sign_flip_p": NUMBER,
        "smallest_attainable_p": NUMBER, "bca_lower": NUM, "bca_upper": NUM,
        "significant": BOOL})},
    # Significant effects with an exact test: the fewest changed patients whose changes, set to
    # none, bring the sign-flip p to alpha or above (exact: false for the greedy bound).
    "fragility_index": nullable(obj({"patients": COUNT, "which": STRINGS, "p_value": NUMBER, "exact": BOOL})),
    "verdict": STR})
DEFS["effect"] = EFFECT
SCHEMAS["report"] = command_schema("report", "resample report --format json", {
    "title": STR_OR_NULL, "data": STR, "n": COUNT, "patients": STRINGS, "level": NUMBER, "alpha": NUMBER,
    # The claims file read (null: none); its figures recomputed ("paper": the stated numbers).
    "claims": STR_OR_NULL,
    "descriptive": {"type": "array", "items": obj({
        "id": STR, "statement": STR, "kind": {"enum": ["mean", "range", "count"]},
        "paper": {"type": "array"}, "computed": {"type": "array", "items": NUM},
        "decimals": {"type": "integer"}, "matches": BOOL, "rows": COUNT, "left_out": STRINGS})},
    "effects": {"type": "array", "items": ref("effect")},
    # The claims file's proportions, then each endpoint's --improved-by shares.
    "proportions": {"type": "array", "items": obj({
        "id": STR, "statement": STR, "successes": COUNT, "trials": COUNT, "estimate": NUM,
        "intervals": {"type": "array", "items": obj({"method": STR, "lower": NUMBER, "upper": NUMBER})},
        "left_out": STRINGS, "verdict": STR})},
    "joint": {"type": "array", "items": obj({
        "endpoints": STRINGS, "n": COUNT, "left_out": STRINGS, "raw_p": {"type": "array", "items": NUMBER},
        "max_t_p": {"type": "array", "items": NUMBER}, "holm_p": {"type": "array", "items": NUMBER},
        "exact": BOOL, "method": STR, "verdict": STR})},
    "sensitivity": {"type": "array", "items": obj({
        "id": STR, "description": STR, "as_given": ref("effect"), "alternative": ref("effect"),
        "verdict": STR})},
    # The files --plots wrote, in order (null without --plots).
    "figures": {"type": ["array", "null"], "items": STR},
    # --by COL: the report of each group (the same object as this one, without claims), or why a
    # group could not be analysed; null without --by.
    "by": nullable(obj({"column": STR, "groups": {"type": "array", "items": obj({
        "value": STR, "condition": STR, "error": STR_OR_NULL,
        "report": {"type": ["object", "null"], "required": ["effects", "n", "input"]}})}})),
}, ["effect", "bootstrap_interval", "test_result", "distribution", "interval_estimate", "ordinal_test"])

SCHEMAS["batch-line"] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://github.com/resample/resample/docs/schema/batch-line.schema.json",
    "title": "one line of resample batch's results file (JSON lines)",
    **obj({
        "id": STR, "command": {"enum": ["bootstrap", "test", "ordinal", "power", "coverage", "plan"]},
        "options": {"type": "object"}, "seed": {"type": ["integer", "string", "null"]},
        "status": {"enum": ["ok", "error"]},
        # An "ok" line's result is the command's own JSON: validate it with <command>.schema.json.
        "result": {"type": "object", "required": list(envelope("x"))},
        "error": STR,
        "timings": obj({"wall_seconds": NUMBER, "rank": COUNT}, optional=("rank",)),
        "engine_version": STR,
    }, optional=("result", "error")),
    "oneOf": [{"properties": {"status": {"const": "ok"}}, "required": ["result"]},
              {"properties": {"status": {"const": "error"}}, "required": ["error"]}],
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "docs", "schema")
    os.makedirs(out, exist_ok=True)
    for name, schema in SCHEMAS.items():
        with open(os.path.join(out, f"{name}.schema.json"), "w") as f:
            json.dump(schema, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
