// pairedresample._engine: the engine's entry points for the pure-Python layer (pairedresample/).
//
// The split: Python turns whatever the user passes (lists, any numpy dtype or layout, pandas,
// pre/post pairs, NaN policy) into one contiguous float64 array and names the Python parameters;
// this module runs the engine on it and hands back the result as the CLI's JSON text
// (apps/result_json.hpp, so that to_dict() is the CLI's serializer and not a second one) plus the
// distributions as numpy arrays. Every engine call runs without the GIL on a worker thread while
// the calling thread polls for signals, so that Ctrl-C cancels a Monte Carlo run at its next block.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "resample/bootstrap/bootstrap.hpp"
#include "resample/error.hpp"
#include "resample/inference/inference.hpp"
#include "resample/inference/multiple_endpoints.hpp"
#include "resample/planning/limits.hpp"
#include "resample/planning/plan.hpp"
#include "resample/simulation/coverage.hpp"
#include "resample/simulation/effect_model.hpp"
#include "resample/simulation/power.hpp"
#include "resample/statistics.hpp"
#include "resample/version.hpp"
#include "resample/vocabulary.hpp"
#include "result_json.hpp"

namespace py = pybind11;
namespace inf = resample::inference;
namespace bs = resample::bootstrap;

namespace {

// The engine's parameter names said as the Python functions' keyword arguments. Most are the
// same word; the data ("n", "sample", "differences") are the argument x.
std::string python_parameter(const std::string& parameter) {
  if (parameter == "n" || parameter == "sample" || parameter == "differences" || parameter == "data")
    return "x";
  if (parameter == "intervals") return "ci";
  return parameter;
}

// InfeasibleError, made at import (module init holds the GIL). Never freed: a static py::object
// would be released after the interpreter has finalised.
py::object& infeasible_error_type() {
  static auto* type = new py::object();
  return *type;
}

// A remedy in Python words: "{} mc" about method becomes "method='mc'", any other phrase names
// the keyword argument where the engine put its parameter ("fewer resamples").
std::string python_remedy(const resample::remedy& r) {
  const std::string name = python_parameter(r.parameter);
  if (r.phrase.rfind("{} ", 0) == 0) return name + "='" + r.phrase.substr(3) + "'";
  return resample::say_remedies(std::vector<resample::remedy>{r},
                                [](const std::string& p) { return python_parameter(p); });
}

// Raises the Python exception for an engine error: ValueError (InfeasibleError for an
// infeasible request), its message led by the Python parameter at fault, remedies in Python
// words; the parts are attributes (parameter, reason, remedies) for programs.
[[noreturn]] void raise_engine_error(const resample::error& e, bool infeasible) {
  std::string message = e.reason();
  std::vector<std::string> remedies;
  for (const auto& r : e.remedies()) remedies.push_back(python_remedy(r));
  for (std::size_t i = 0; i < remedies.size(); ++i) message += (i == 0 ? "; use " : " or ") + remedies[i];
  const std::string parameter = e.parameter().empty() ? std::string() : python_parameter(e.parameter());
  // An infeasible request is about its size, not about the parameter's value: no lead.
  if (!parameter.empty() && !infeasible) message = parameter + ": " + message;
  py::object type =
      infeasible ? infeasible_error_type() : py::reinterpret_borrow<py::object>(PyExc_ValueError);
  py::object instance = type(message);
  instance.attr("parameter") = parameter.empty() ? py::none() : py::object(py::str(parameter));
  instance.attr("reason") = e.reason();
  instance.attr("remedies") = remedies;
  PyErr_SetObject(type.ptr(), instance.ptr());
  throw py::error_already_set();
}

// Runs `work(cancel)` without the GIL on a worker thread. The calling thread waits, taking the
// GIL every 50 ms to run Python's signal handlers (PyErr_CheckSignals acts on the main thread
// only, which is why the engine does not run on the caller itself). A KeyboardInterrupt (or any
// exception a handler raises) sets the cancel flag, which the engine checks once per Monte Carlo
// block; the call then raises that exception once the worker has stopped. Engine errors become
// Python exceptions here, with the GIL held again.
template <class Work>
auto run_engine(Work&& work) {
  using result_type = decltype(work(static_cast<const std::atomic<bool>*>(nullptr)));
  std::atomic<bool> cancel{false};
  std::optional<result_type> result;
  std::exception_ptr failure;
  bool interrupted = false;
  {
    py::gil_scoped_release release;
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
    std::thread worker([&] {
      try {
        result.emplace(work(&cancel));
      } catch (...) {
        failure = std::current_exception();
      }
      const std::lock_guard lock(mutex);
      done = true;
      finished.notify_one();
    });
    std::unique_lock lock(mutex);
    while (!finished.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) {
      if (interrupted) continue;
      lock.unlock();
      {
        py::gil_scoped_acquire acquire;
        // The exception stays set on this thread's state until it is raised below.
        if (PyErr_CheckSignals() != 0) {
          interrupted = true;
          cancel.store(true);
        }
      }
      lock.lock();
    }
    lock.unlock();
    worker.join();
  }
  if (interrupted) throw py::error_already_set();
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const resample::infeasible_error& e) {
      raise_engine_error(e, true);
    } catch (const resample::error& e) {
      raise_engine_error(e, false);
    } catch (const resample::cancelled_error&) {
      // Only this module sets the flag, and only after a signal; kept for completeness.
      PyErr_SetNone(PyExc_KeyboardInterrupt);
      throw py::error_already_set();
    }
  }
  return std::move(*result);
}

// A parser of the engine's vocabulary (statistic, method, alternative, ...), its errors said
// with the Python parameter.
template <class Parse>
auto parse_argument(Parse&& parse) {
  try {
    return parse();
  } catch (const resample::infeasible_error& e) {
    raise_engine_error(e, true);
  } catch (const resample::error& e) {
    raise_engine_error(e, false);
  }
}

// The differences: a one-dimensional float64 array (the Python layer converts and checks).
using array = py::array_t<double, py::array::c_style | py::array::forcecast>;

std::vector<double> to_vector(const array& x) {
  if (x.ndim() != 1) throw py::value_error("x: expected a one-dimensional array");
  return std::vector<double>(x.data(), x.data() + x.size());
}

py::tuple distribution_arrays(const resample::weighted_distribution& d) {
  array values(static_cast<py::ssize_t>(d.size())), weights(static_cast<py::ssize_t>(d.size()));
  auto v = values.mutable_unchecked<1>();
  auto w = weights.mutable_unchecked<1>();
  py::ssize_t i = 0;
  for (const auto& a : d.atoms()) {
    v(i) = a.value;
    w(i) = a.weight;
    ++i;
  }
  return py::make_tuple(values, weights);
}

// (json text, null-distribution values or None, weights or None) of a test.
py::tuple test_tuple(const inf::test_result& r, std::optional<std::uint64_t> seed) {
  const std::string text = resample::cli::to_json(r, seed).dump();
  if (!r.null_distribution) return py::make_tuple(text, py::none(), py::none());
  const py::tuple d = distribution_arrays(*r.null_distribution);
  return py::make_tuple(text, d[0], d[1]);
}

inf::alternative parse_alternative(const std::string& text) {
  return parse_argument([&] { return inf::parse_alternative(text); });
}
resample::method_choice parse_method(const std::string& text) {
  return parse_argument([&] { return resample::parse_method(text); });
}

bs::studentized_se_method parse_studentized_se(const std::optional<std::string>& text) {
  if (!text) return bs::default_studentized_se;
  return parse_argument([&] { return bs::parse_studentized_se_method(*text); });
}

py::tuple bootstrap(const array& x, const std::string& statistic, const std::string& method,
                    const std::optional<std::string>& ci, double level, std::uint64_t resamples,
                    std::uint64_t seed, std::size_t threads,
                    const std::optional<std::string>& studentized_se) {
  bs::bootstrap_options o;
  o.stat = parse_argument([&] { return resample::parse_statistic(statistic); });
  o.se_method = parse_studentized_se(studentized_se);
  o.requested = parse_argument([&] {
    const auto m = resample::parse_method(method);
    resample::check_not_approximate("resample::bootstrap", m);
    return m;
  });
  // None: the intervals the CLI computes without --ci.
  o.intervals = ci ? parse_argument([&] { return bs::parse_interval_methods(*ci); })
                   : resample::planning::default_intervals(o.stat, o.se_method);
  o.level = level;
  o.resamples = resamples;
  o.seed = seed;
  o.exec.threads = threads;
  const auto data = to_vector(x);
  const auto r = run_engine([&](const std::atomic<bool>* cancel) {
    auto options = o;
    options.exec.cancel = cancel;
    return bs::bootstrap(data, options);
  });
  const py::tuple d = distribution_arrays(r.distribution);
  return py::make_tuple(resample::cli::to_json(r).dump(), d[0], d[1]);
}

py::tuple sign_flip_test(const array& x, const std::string& statistic, const std::string& alternative,
                         const std::string& method, std::uint64_t resamples, std::uint64_t seed, bool mid_p,
                         std::size_t threads) {
  const auto stat = parse_argument([&] { return resample::parse_statistic(statistic); });
  const auto alt = parse_alternative(alternative);
  inf::sign_flip_options o;
  o.method = parse_method(method);
  o.resamples = resamples;
  o.seed = seed;
  o.mid_p = mid_p;
  o.exec.threads = threads;
  const auto data = to_vector(x);
  const auto r = run_engine([&](const std::atomic<bool>* cancel) {
    auto options = o;
    options.exec.cancel = cancel;
    return inf::sign_flip_test(data, stat, alt, options);
  });
  return test_tuple(r, seed);
}

py::tuple wilcoxon(const array& x, const std::string& alternative, const std::string& zero_method,
                   const std::string& method, std::uint64_t resamples, std::uint64_t seed, bool mid_p,
                   std::size_t threads) {
  const auto alt = parse_alternative(alternative);
  inf::wilcoxon_options o;
  o.zeros = parse_argument([&] { return inf::parse_zero_method(zero_method); });
  o.method = parse_method(method);
  o.resamples = resamples;
  o.seed = seed;
  o.mid_p = mid_p;
  o.exec.threads = threads;
  const auto data = to_vector(x);
  const auto r = run_engine([&](const std::atomic<bool>* cancel) {
    auto options = o;
    options.exec.cancel = cancel;
    return inf::wilcoxon_test(data, alt, options);
  });
  return test_tuple(r, seed);
}

py::tuple sign_test(const array& x, const std::string& alternative, bool mid_p) {
  const auto alt = parse_alternative(alternative);
  const auto data = to_vector(x);
  const auto r = run_engine([&](const std::atomic<bool>*) { return inf::sign_test(data, alt, mid_p); });
  return test_tuple(r, std::nullopt);
}

py::tuple t_test(const array& x, const std::string& alternative) {
  const auto alt = parse_alternative(alternative);
  const auto data = to_vector(x);
  const auto r = run_engine([&](const std::atomic<bool>*) { return inf::t_test(data, alt); });
  return test_tuple(r, std::nullopt);
}

// The sign-flip confidence set for the mean (or trimmed mean) shift, as the CLI's
// tests[].confidence_set.
std::string sign_flip_confidence_set(const array& x, double level, const std::string& alternative,
                                     const std::string& method, std::uint64_t resamples, std::uint64_t seed,
                                     bool mid_p, std::size_t threads, const std::string& statistic) {
  inf::sign_flip_inversion_options o;
  o.stat = parse_argument([&] { return resample::parse_statistic(statistic); });
  o.level = level;
  o.alt = parse_alternative(alternative);
  o.method = parse_method(method);
  o.resamples = resamples, o.seed = seed, o.mid_p = mid_p;
  o.exec.threads = threads;
  const auto data = to_vector(x);
  const auto e = run_engine([&](const std::atomic<bool>* cancel) {
    auto run = o;
    run.exec.cancel = cancel;
    return inf::sign_flip_confidence_set(data, run);
  });
  return resample::cli::to_json(e).dump();
}

std::string standardized_mean_change(const array& x, double level) {
  const auto data = to_vector(x);
  const auto e =
      run_engine([&](const std::atomic<bool>*) { return inf::standardized_mean_change(data, level); });
  return resample::cli::to_json(e).dump();
}

// The ordinal paired suite on (pre, post) levels: the CLI's endpoint keys table, tests, mcnemar.
std::string ordinal(const array& pre, const array& post, std::optional<double> dichotomize, double level,
                    const std::string& method, std::uint64_t resamples, std::uint64_t seed,
                    std::size_t threads) {
  inf::ordinal_options o;
  o.method = parse_method(method);
  o.resamples = resamples, o.seed = seed, o.exec.threads = threads;
  const auto a = to_vector(pre), b = to_vector(post);
  return run_engine([&](const std::atomic<bool>* cancel) {
    auto run = o;
    run.exec.cancel = cancel;
    const auto table = inf::make_paired_table(a, b);
    const auto mh = inf::marginal_homogeneity(table, run);
    nlohmann::json j{{"table", resample::cli::to_json(table)},
                     {"tests", nlohmann::json::array({resample::cli::to_json(mh.stuart_maxwell),
                                                      resample::cli::to_json(mh.bhapkar),
                                                      resample::cli::to_json(mh.bowker)})},
                     {"mcnemar", nullptr}};
    if (dichotomize) j["mcnemar"] = resample::cli::to_json(inf::mcnemar(table, *dichotomize, level));
    return j.dump();
  });
}

std::string hodges_lehmann(const array& x, double level) {
  const auto data = to_vector(x);
  const auto e =
      run_engine([&](const std::atomic<bool>*) { return inf::hodges_lehmann_interval(data, level); });
  return resample::cli::to_json(e).dump();
}

// The effect model of power() and coverage(), as the CLI's --model: "bootstrap" (resample x),
// "shift" (x moved to mean shift_to) or "discrete" (a law "v:p,...", no x). Checks the
// combination first, naming the Python argument.
struct model_arguments {
  std::optional<array> x;
  std::string model;
  std::optional<double> shift_to;
  std::optional<std::string> distribution;
};

void check_model(const model_arguments& a) {
  const bool discrete = a.model == "discrete";
  if (a.model != "bootstrap" && a.model != "shift" && !discrete)
    throw py::value_error("model: got '" + a.model + "', expected 'bootstrap', 'shift' or 'discrete'");
  if (discrete != !a.x)
    throw py::value_error(discrete ? "x: the discrete model takes no data; give distribution="
                                   : "x: the " + a.model + " model resamples the data x");
  if (discrete != a.distribution.has_value())
    throw py::value_error(discrete ? "distribution: the discrete model needs distribution='v:p,...'"
                                   : "distribution: applies to model='discrete' only");
  if ((a.model == "shift") != a.shift_to.has_value())
    throw py::value_error(a.model == "shift"
                              ? "shift_to: the shift model needs shift_to, the mean to shift to"
                              : "shift_to: applies to model='shift' only");
}

// Called on the engine's thread (the data are copied out of the numpy array before).
resample::simulation::effect_model make_model(const model_arguments& a, const std::vector<double>& data) {
  namespace sim = resample::simulation;
  if (a.model == "discrete") return sim::effect_model::parse_discrete(*a.distribution);
  if (a.model == "shift") return sim::effect_model::shift(data, *a.shift_to);
  return sim::effect_model::bootstrap(data);
}

// The power curves of the tests, as `resample power`'s result object (result_json.hpp's power_json).
std::string power(const std::optional<array>& x, const std::vector<std::size_t>& sizes,
                  const std::vector<std::string>& tests, const std::string& statistic,
                  const std::string& alternative, const std::string& zero_method, double alpha,
                  std::uint64_t trials, std::uint64_t seed, const std::string& model,
                  std::optional<double> shift_to, const std::optional<std::string>& distribution,
                  std::optional<double> target_power, std::size_t threads, const std::string& endpoint) {
  namespace sim = resample::simulation;
  sim::power_options o;
  std::vector<sim::test_kind> kinds;
  for (const auto& t : tests) kinds.push_back(parse_argument([&] { return resample::parse_test_kind(t); }));
  if (kinds.empty()) throw py::value_error("test: expected at least one test");
  o.stat = parse_argument([&] { return resample::parse_statistic(statistic); });
  const bool sign_flip = std::find(kinds.begin(), kinds.end(), sim::test_kind::sign_flip) != kinds.end();
  if (!sign_flip && o.stat != resample::statistic{})
    throw py::value_error("statistic: only the sign-flip test takes a statistic; add 'signflip' to test");
  o.alt = parse_alternative(alternative);
  o.zeros = parse_argument([&] { return inf::parse_zero_method(zero_method); });
  o.alpha = alpha;
  o.trials = trials;
  o.seed = seed;
  o.exec.threads = threads;
  const model_arguments arguments{x, model, shift_to, distribution};
  check_model(arguments);
  const auto data = x ? to_vector(*x) : std::vector<double>();
  return run_engine([&](const std::atomic<bool>* cancel) {
    const auto m = make_model(arguments, data);
    std::vector<std::vector<sim::power_point>> curves;
    for (const auto kind : kinds) {
      auto options = o;
      options.test = kind;
      options.exec.cancel = cancel;
      curves.push_back(sim::power_curve(m, sizes, options));
    }
    return resample::cli::power_json(m, x ? endpoint : "", o, kinds, curves, target_power).dump();
  });
}

// The real coverage of interval methods, as `resample coverage`'s result object (coverage_json).
std::string coverage(const std::optional<array>& x, const std::vector<std::size_t>& sizes,
                     const std::string& statistic, const std::optional<std::string>& ci,
                     const std::optional<std::string>& studentized_se, double level, std::uint64_t trials,
                     std::uint64_t seed, std::size_t exact_max_n, std::uint64_t resamples,
                     const std::string& model, std::optional<double> shift_to,
                     const std::optional<std::string>& distribution, std::size_t threads,
                     const std::string& endpoint) {
  namespace sim = resample::simulation;
  sim::coverage_options o;
  o.stat = parse_argument([&] { return resample::parse_statistic(statistic); });
  o.se_method = parse_studentized_se(studentized_se);
  if (ci)
    parse_argument([&] { sim::select_coverage_intervals(*ci, o); });
  else
    resample::planning::select_default_coverage_intervals(o);
  o.level = level;
  o.trials = trials;
  o.seed = seed;
  o.exact_max_n = exact_max_n;
  o.bootstrap_resamples = resamples;
  o.exec.threads = threads;
  const model_arguments arguments{x, model, shift_to, distribution};
  check_model(arguments);
  const auto data = x ? to_vector(*x) : std::vector<double>();
  return run_engine([&](const std::atomic<bool>* cancel) {
    const auto m = make_model(arguments, data);
    auto options = o;
    options.exec.cancel = cancel;
    std::vector<sim::coverage_result> results;
    for (const auto n : sizes) results.push_back(sim::simulate_coverage(m, n, options));
    return resample::cli::coverage_json(m, x ? endpoint : "", o, results).dump();
  });
}

// Westfall-Young max-T over several endpoints of the same patients, as resample test's
// {"adjusted", "adjustment"} (result_json.hpp).
std::string max_t_test(const std::vector<array>& endpoints, const std::vector<std::string>& names,
                       const std::vector<std::string>& left_out, const std::string& alternative,
                       const std::string& method, std::uint64_t resamples, std::uint64_t seed,
                       std::size_t threads) {
  const auto alt = parse_alternative(alternative);
  inf::sign_flip_options o;
  o.method = parse_method(method);
  o.resamples = resamples;
  o.seed = seed;
  o.exec.threads = threads;
  std::vector<std::vector<double>> columns;
  for (const auto& e : endpoints) columns.push_back(to_vector(e));
  return run_engine([&](const std::atomic<bool>* cancel) {
    auto options = o;
    options.exec.cancel = cancel;
    const auto m = inf::max_t_test(columns, alt, options);
    return resample::cli::to_json(m, names, seed, left_out).dump();
  });
}

// How many resamples a bootstrap interval or a test needs, as `resample plan`'s result object
// without the command it recommends (result_json.hpp). target: "interval" (ci names the
// method) or "test" (test names it); seed None: that command's own default.
std::string plan(const array& x, const std::string& statistic, const std::optional<std::string>& ci,
                 const std::optional<std::string>& test, double level, const std::string& alternative,
                 const std::string& zero_method, double precision, double relative,
                 std::optional<std::uint64_t> seed, std::size_t threads) {
  namespace planning = resample::planning;
  if (ci.has_value() == test.has_value()) throw py::value_error("ci: give exactly one of ci= or test=");
  if (!((precision > 0.0) != (relative > 0.0)) || !std::isfinite(precision) || !std::isfinite(relative) ||
      precision < 0.0 || relative < 0.0)
    throw py::value_error(
        "precision: give exactly one of precision= (a Monte Carlo SE) or relative=, positive");
  planning::plan_request r;
  r.stat = parse_argument([&] { return resample::parse_statistic(statistic); });
  r.level = level;
  r.absolute = precision;
  r.relative = relative;
  r.exec.threads = threads;
  if (ci) {
    r.target = planning::target_kind::interval;
    r.interval = parse_argument([&] { return bs::parse_interval_method(*ci); });
    r.seed = seed.value_or(bs::bootstrap_options{}.seed);
  } else {
    r.target = planning::target_kind::test;
    r.test = parse_argument([&] { return resample::parse_test_kind(*test); });
    r.alt = parse_alternative(alternative);
    r.zeros = parse_argument([&] { return inf::parse_zero_method(zero_method); });
    r.seed = seed.value_or(inf::sign_flip_options{}.seed);
  }
  const auto data = to_vector(x);
  return run_engine([&](const std::atomic<bool>*) {
    auto j = resample::cli::to_json(planning::make_plan(data, r), r);
    j["n"] = data.size();
    j["seed"] = r.seed;
    return j.dump();
  });
}

}  // namespace

PYBIND11_MODULE(_engine, m) {
  m.doc() = "The resample engine's entry points; use the pairedresample package, not this module.";
  infeasible_error_type() = py::reinterpret_steal<py::object>(
      PyErr_NewExceptionWithDoc("pairedresample.InfeasibleError",
                                "A well-formed request that the engine cannot carry out within its limits "
                                "(an exact enumeration too large, a memory budget exceeded). The message "
                                "says how large it would be; `remedies` lists what to change.",
                                PyExc_ValueError, nullptr));
  m.attr("InfeasibleError") = infeasible_error_type();
  m.attr("engine_version") = resample::engine_version;
  m.attr("schema_version") = resample::cli::schema_version;
  // The engine's defaults, which the CLI uses too: the Python layer's None means these.
  m.attr("bootstrap_defaults") = py::dict(py::arg("resamples") = bs::bootstrap_options{}.resamples,
                                          py::arg("seed") = bs::bootstrap_options{}.seed);
  m.attr("sign_flip_defaults") = py::dict(py::arg("resamples") = inf::sign_flip_options{}.resamples,
                                          py::arg("seed") = inf::sign_flip_options{}.seed);
  m.attr("wilcoxon_defaults") = py::dict(py::arg("resamples") = inf::wilcoxon_options{}.resamples,
                                         py::arg("seed") = inf::wilcoxon_options{}.seed);
  m.def("bootstrap", &bootstrap, py::arg("x"), py::arg("statistic"), py::arg("method"), py::arg("ci"),
        py::arg("level"), py::arg("resamples"), py::arg("seed"), py::arg("threads"),
        py::arg("studentized_se"));
  m.def("sign_flip_test", &sign_flip_test, py::arg("x"), py::arg("statistic"), py::arg("alternative"),
        py::arg("method"), py::arg("resamples"), py::arg("seed"), py::arg("mid_p"), py::arg("threads"));
  m.def("wilcoxon", &wilcoxon, py::arg("x"), py::arg("alternative"), py::arg("zero_method"),
        py::arg("method"), py::arg("resamples"), py::arg("seed"), py::arg("mid_p"), py::arg("threads"));
  m.def("sign_test", &sign_test, py::arg("x"), py::arg("alternative"), py::arg("mid_p"));
  m.def("t_test", &t_test, py::arg("x"), py::arg("alternative"));
  m.attr("power_defaults") = py::dict(py::arg("trials") = resample::simulation::power_options{}.trials,
                                      py::arg("seed") = resample::simulation::power_options{}.seed);
  m.def("power", &power, py::arg("x"), py::arg("n"), py::arg("tests"), py::arg("statistic"),
        py::arg("alternative"), py::arg("zero_method"), py::arg("alpha"), py::arg("trials"), py::arg("seed"),
        py::arg("model"), py::arg("shift_to"), py::arg("distribution"), py::arg("target_power"),
        py::arg("threads"), py::arg("endpoint"));
  m.attr("coverage_defaults") =
      py::dict(py::arg("trials") = resample::simulation::coverage_options{}.trials,
               py::arg("seed") = resample::simulation::coverage_options{}.seed,
               py::arg("exact_max_n") = resample::simulation::coverage_options{}.exact_max_n,
               py::arg("resamples") = resample::simulation::coverage_options{}.bootstrap_resamples);
  m.def("coverage", &coverage, py::arg("x"), py::arg("n"), py::arg("statistic"), py::arg("ci"),
        py::arg("studentized_se"), py::arg("level"), py::arg("trials"), py::arg("seed"),
        py::arg("exact_max_n"), py::arg("resamples"), py::arg("model"), py::arg("shift_to"),
        py::arg("distribution"), py::arg("threads"), py::arg("endpoint"));
  m.def("max_t_test", &max_t_test, py::arg("endpoints"), py::arg("names"), py::arg("left_out"),
        py::arg("alternative"), py::arg("method"), py::arg("resamples"), py::arg("seed"), py::arg("threads"));
  m.def("plan", &plan, py::arg("x"), py::arg("statistic"), py::arg("ci"), py::arg("test"), py::arg("level"),
        py::arg("alternative"), py::arg("zero_method"), py::arg("precision"), py::arg("relative"),
        py::arg("seed"), py::arg("threads"));
  m.def("hodges_lehmann", &hodges_lehmann, py::arg("x"), py::arg("level"));
  m.def("ordinal", &ordinal, py::arg("pre"), py::arg("post"), py::arg("dichotomize"), py::arg("level"),
        py::arg("method"), py::arg("resamples"), py::arg("seed"), py::arg("threads"));
  m.def("standardized_mean_change", &standardized_mean_change, py::arg("x"), py::arg("level"));
  m.def("sign_flip_confidence_set", &sign_flip_confidence_set, py::arg("x"), py::arg("level"),
        py::arg("alternative"), py::arg("method"), py::arg("resamples"), py::arg("seed"), py::arg("mid_p"),
        py::arg("threads"), py::arg("statistic"));
}
