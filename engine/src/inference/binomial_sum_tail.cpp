#include "resample/inference/binomial_sum_tail.hpp"

#include <oneapi/tbb/blocked_range.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>
#include <numeric>
#include <string>

#include "parallel_for.hpp"
#include "resample/error.hpp"

namespace resample::inference {

namespace {

constexpr const char* function = "resample::binomial_sum_tail";
constexpr double unit_roundoff = 0x1p-53;
constexpr long double extended_roundoff = 0x1p-64L;
// Tilted mass allowed outside the inversion window on each side: far below the rounding
// bound (1e-10 and up), so the window is no wider than the rounding makes worth while.
constexpr long double truncation_target = 1e-17L;
// Inversion points per block: the unit of parallel work, and of the deterministic summation
// (blocks are summed in order whatever thread computed them).
constexpr std::size_t block_points = 256;
constexpr unsigned table_shift = 11;  // two-level table of the roots of unity: 2048 low entries

// Swings divided by their greatest common divisor (S = gcd * S'): the lattice, and so the
// window of points, is gcd times shorter.
struct reduced_groups {
  std::vector<std::uint64_t> swing;
  std::vector<std::uint64_t> count;
  std::uint64_t gcd = 1;
  std::uint64_t total = 0;  // T = sum swing * count: S' takes values 0..T
  std::uint64_t signs = 0;  // M = sum count: 2^M equally likely sign patterns
};

reduced_groups reduce(std::span<const swing_group> groups) {
  if (groups.empty()) throw_invalid_argument(function, "no swing groups, expected at least one");
  reduced_groups r;
  std::uint64_t g = 0;
  for (const auto& group : groups) {
    if (group.swing == 0 || group.count == 0)
      throw_invalid_argument(function, "a swing group has a zero swing or count, expected positive");
    g = std::gcd(g, group.swing);
  }
  r.gcd = g;
  long double total = 0.0L;
  for (const auto& group : groups) {
    r.swing.push_back(group.swing / g);
    r.count.push_back(group.count);
    total += static_cast<long double>(group.swing / g) * static_cast<long double>(group.count);
    r.signs += group.count;
  }
  r.total = total > 0x1p52L ? 0 : static_cast<std::uint64_t>(total);  // 0: past the size limits
  return r;
}

// Sizes the inversion accepts: lattice values stay exact in doubles, and planning (a few passes
// over the groups per Newton step) stays cheap next to the work it plans.
bool within_size_limits(std::span<const swing_group> groups, const reduced_groups& r) {
  return r.total > 0 && groups.size() <= binomial_sum_max_groups;
}

// P(K = 1) of a tilted sign: e^t / (1 + e^t), evaluated without overflow.
long double logistic(long double t) {
  return t >= 0 ? 1.0L / (1.0L + std::exp(-t)) : std::exp(t) / (1.0L + std::exp(t));
}

// log E e^{theta S'} = sum m log((1 + e^{theta a}) / 2).
long double log_mgf(const reduced_groups& r, long double theta) {
  long double k = 0.0L;
  for (std::size_t g = 0; g < r.swing.size(); ++g) {
    const long double t = theta * static_cast<long double>(r.swing[g]);
    const long double log_half_sum =
        (t > 0 ? t + std::log1p(std::exp(-t)) : std::log1p(std::exp(t))) - std::numbers::ln2_v<long double>;
    k += static_cast<long double>(r.count[g]) * log_half_sum;
  }
  return k;
}

// Mean and variance of S' under the tilt theta (derivatives of log_mgf), in one pass.
struct tilted_moments {
  long double mean = 0.0L, variance = 0.0L;
};

tilted_moments moments_at(const reduced_groups& r, long double theta) {
  tilted_moments m;
  for (std::size_t g = 0; g < r.swing.size(); ++g) {
    const auto a = static_cast<long double>(r.swing[g]), count = static_cast<long double>(r.count[g]);
    const long double up = logistic(theta * a), down = logistic(-theta * a);
    m.mean += count * a * up;
    m.variance += count * a * a * up * down;
  }
  return m;
}

// The tilt shift >= 0 (relative to `from`) whose tilted mean is `target`, for
// target > the mean at `from`; `direction` -1 solves below instead: the shift lowering the mean
// to `target`. Newton's method (the mean's derivative is the variance), kept inside a bracket
// that bisection tightens whenever a Newton step would leave it: a few passes over the groups,
// not a hundred. Callers need no more than a good shift: every tilt gives an exact identity and
// every Chernoff exponent a valid bound.
long double solve_tilt(const reduced_groups& r, long double from, long double target, int direction) {
  long double low = 0.0L, high = std::numeric_limits<long double>::infinity(), shift = 0.0L;
  for (int i = 0; i < 100; ++i) {
    const tilted_moments m = moments_at(r, from + direction * shift);
    const long double excess = direction * (m.mean - target);  // increases with the shift
    if (excess == 0.0L) return shift;
    (excess > 0 ? high : low) = shift;
    long double next =
        m.variance > 0 ? shift - excess / m.variance : std::numeric_limits<long double>::quiet_NaN();
    if (!(next > low && next < high))
      next = std::isinf(high) ? std::max(2 * low, low + 1.0L / (r.total + 1)) : (low + high) / 2;
    if (std::fabs(next - shift) <= 1e-18L * std::fabs(next) || next > 1e4L) return std::min(next, 1e4L);
    shift = next;
  }
  return shift;
}

// Chernoff bound on the theta-tilted mass at or beyond `edge` (above when direction > 0, below
// otherwise): exp(K(theta +- l) - K(theta) -+ l edge), valid for every l > 0; l is chosen near the
// minimiser, where the tilted mean reaches the edge.
long double chernoff_beyond(const reduced_groups& r, long double theta, long double log_m, long double edge,
                            int direction) {
  const long double shift = solve_tilt(r, theta, edge, direction);
  const long double exponent = log_mgf(r, theta + direction * shift) - log_m - direction * shift * edge;
  return std::min(1.0L, std::exp(exponent));
}

// (a * b) mod n without overflow.
__extension__ using wide_unsigned = unsigned __int128;
std::uint64_t multiply_mod(std::uint64_t a, std::uint64_t b, std::uint64_t n) {
  return static_cast<std::uint64_t>((static_cast<wide_unsigned>(a) * b) % n);
}

struct complex_value {
  double re = 0.0, im = 0.0;
};

[[gnu::always_inline]] inline complex_value multiply(complex_value a, complex_value b) {
  return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}

// e^{2 pi i k / N} for 0 <= k < N as the product of two table entries (high and low bits of k),
// each rounded once from an extended-precision sin and cos.
class roots_of_unity {
 public:
  explicit roots_of_unity(std::uint64_t n) {
    const std::uint64_t low = std::uint64_t{1} << table_shift;
    low_.resize(low);
    high_.resize(n / low + 1);
    const long double turn = 2.0L * std::numbers::pi_v<long double> / static_cast<long double>(n);
    for (std::uint64_t k = 0; k < low; ++k) low_[k] = from_angle(turn * static_cast<long double>(k));
    for (std::uint64_t k = 0; k < high_.size(); ++k)
      high_[k] = from_angle(turn * static_cast<long double>(k << table_shift));
  }
  [[gnu::always_inline]] complex_value operator()(std::uint64_t k) const {
    return multiply(high_[k >> table_shift], low_[k & ((std::uint64_t{1} << table_shift) - 1)]);
  }

 private:
  static complex_value from_angle(long double angle) {
    return {static_cast<double>(std::cos(angle)), static_cast<double>(std::sin(angle))};
  }
  std::vector<complex_value> low_, high_;
};

// What the characteristic-function kernel reads, shared by all blocks.
struct characteristic_inputs {
  const roots_of_unity* root;
  std::span<const double> success, failure;  // tilted P(positive), P(negative) per group
  std::span<const std::uint64_t> step;       // swing mod N per group
  std::span<const std::uint64_t> count;      // group sizes
  std::uint64_t n;                           // N
};

// Four doubles in one AVX2 register (two SSE2 registers in the portable build).
using vector4 = double __attribute__((vector_size(32)));
constexpr std::size_t lanes = 4;
constexpr std::size_t interleave = 2;
static_assert(block_points % (interleave * lanes) == 0, "the powering loop reads whole vectors of a block");

// Whole groups of `interleave` vectors are computed even past the last point (zero-filled or
// stale but finite inputs there; those results are not read).
struct block_buffers {
  alignas(32) std::array<double, block_points> psi_re{}, psi_im{}, base_re{}, base_im{};
};

// psi_j = prod_g z_{g,j}^{m_g} for j = first .. first + size - 1, z_{g,j} = (1 - p_g) + p_g w^{j a_g}
// (the tilted characteristic function of one sign in group g). Compiled twice, for AVX2 and
// for any x86-64; element-wise multiplications and additions in the same order (no FMA: the
// engine is built with -ffp-contract=off), so both give the same bits.
[[gnu::always_inline]] inline void characteristic_block_body(const characteristic_inputs& in,
                                                             std::uint64_t first, std::size_t size,
                                                             block_buffers& b) {
  const std::uint64_t N = in.n;
  b.psi_re.fill(1.0);
  b.psi_im.fill(0.0);
  for (std::size_t g = 0; g < in.step.size(); ++g) {
    const double p = in.success[g], q = in.failure[g];
    std::uint64_t k = multiply_mod(first, in.step[g], N);
    for (std::size_t i = 0; i < size; ++i) {
      const complex_value w = (*in.root)(k);
      b.base_re[i] = q + p * w.re;
      b.base_im[i] = p * w.im;
      k += in.step[g];
      k -= k >= N ? N : 0;
    }
    // psi *= z^m, by binary powering, `interleave` independent vectors at a time: each step's
    // multiply-then-add chain is latency-bound, so several chains keep the units busy.
    const std::uint64_t m = in.count[g];
    for (std::size_t i = 0; i < size; i += interleave * lanes) {
      vector4 zr[interleave], zi[interleave], pr[interleave], pi[interleave];
      for (std::size_t h = 0; h < interleave; ++h) pr[h] = vector4{1.0, 1.0, 1.0, 1.0}, pi[h] = vector4{};
      for (std::size_t h = 0; h < interleave; ++h) {
        std::memcpy(&zr[h], &b.base_re[i + h * lanes], sizeof(vector4));
        std::memcpy(&zi[h], &b.base_im[i + h * lanes], sizeof(vector4));
      }
      for (std::uint64_t bits = m;;) {
        if (bits & 1) {
          for (std::size_t h = 0; h < interleave; ++h) {
            const vector4 re = pr[h] * zr[h] - pi[h] * zi[h];
            const vector4 im = pr[h] * zi[h] + pi[h] * zr[h];
            pr[h] = re, pi[h] = im;
          }
        }
        bits >>= 1;
        if (bits == 0) break;
        for (std::size_t h = 0; h < interleave; ++h) {
          const vector4 re = zr[h] * zr[h] - zi[h] * zi[h];
          const vector4 im = (zr[h] + zr[h]) * zi[h];
          zr[h] = re, zi[h] = im;
        }
      }
      for (std::size_t h = 0; h < interleave; ++h) {
        vector4 sr, si;
        std::memcpy(&sr, &b.psi_re[i + h * lanes], sizeof(vector4));
        std::memcpy(&si, &b.psi_im[i + h * lanes], sizeof(vector4));
        const vector4 re = sr * pr[h] - si * pi[h];
        const vector4 im = sr * pi[h] + si * pr[h];
        std::memcpy(&b.psi_re[i + h * lanes], &re, sizeof(vector4));
        std::memcpy(&b.psi_im[i + h * lanes], &im, sizeof(vector4));
      }
    }
  }
}

__attribute__((target("avx2"))) void characteristic_block_avx2(const characteristic_inputs& in,
                                                               std::uint64_t first, std::size_t size,
                                                               block_buffers& b) {
  characteristic_block_body(in, first, size, b);
}

void characteristic_block_portable(const characteristic_inputs& in, std::uint64_t first, std::size_t size,
                                   block_buffers& b) {
  characteristic_block_body(in, first, size, b);
}

void characteristic_block(const characteristic_inputs& in, std::uint64_t first, std::size_t size,
                          block_buffers& b, inversion_kernel kernel) {
  static const bool has_avx2 = __builtin_cpu_supports("avx2") != 0;
  if (kernel == inversion_kernel::automatic && has_avx2)
    characteristic_block_avx2(in, first, size, b);
  else
    characteristic_block_portable(in, first, size, b);
}

// Everything the inversion needs for one upper tail: the tilt, the window and its size.
struct inversion_plan {
  std::uint64_t z = 0;              // the tail is P(S' > z) and the point P(S' = z), 2z > T
  long double theta = 0.0L;         // tilt: the tilted mean is about z + 1/2
  long double log_m = 0.0L;         // log E e^{theta S'}
  std::uint64_t low = 0, high = 0;  // window [low, high], high - low + 1 = N odd
  long double truncation = 0.0L;    // tilted mass outside the window (Chernoff bounds)
  std::uint64_t points() const { return high - low + 1; }
};

inversion_plan plan_inversion(const reduced_groups& r, std::uint64_t z) {
  inversion_plan p;
  p.z = z;
  const long double target = static_cast<long double>(z) + 0.5L;
  // Rounded to double once, so that the loops (in double) and the prefactor (extended) use the
  // same tilt: any tilt gives an exact identity, but only if it is the same one throughout.
  p.theta = static_cast<double>(solve_tilt(r, 0.0L, target, +1));
  p.log_m = log_mgf(r, p.theta);
  const long double sd = std::sqrt(moments_at(r, p.theta).variance);
  // Widen each side until its Chernoff bound is below the target (or the side reaches the end
  // of the support, beyond which there is no mass).
  const auto T = static_cast<long double>(r.total);
  const long double first_reach = std::ceil(8.0L * sd) + 1.0L;
  long double reach = first_reach;
  while (true) {
    const long double top = static_cast<long double>(z + 1) + reach;
    if (top >= T) {
      p.high = r.total;
      break;
    }
    const long double bound = chernoff_beyond(r, p.theta, p.log_m, top + 1.0L, +1);
    if (bound <= truncation_target) {
      p.high = static_cast<std::uint64_t>(top);
      p.truncation += bound;
      break;
    }
    reach = std::ceil(reach * 1.05L);
  }
  reach = first_reach;
  while (true) {
    const long double bottom = static_cast<long double>(z) - reach;
    if (bottom <= 0.0L) {
      p.low = 0;
      break;
    }
    const long double bound = chernoff_beyond(r, p.theta, p.log_m, bottom - 1.0L, -1);
    if (bound <= truncation_target) {
      p.low = static_cast<std::uint64_t>(bottom);
      p.truncation += bound;
      break;
    }
    reach = std::ceil(reach * 1.05L);
  }
  if (p.points() % 2 == 0) ++p.high;  // odd N: the conjugate pairs j, N - j cover all j != 0
  return p;
}

// Complex multiplications per point and group: squarings and multiplications of binary powering.
double powering_cost(std::uint64_t count) {
  return static_cast<double>(std::bit_width(count) + std::popcount(count)) + 2.0;
}

double plan_work(const reduced_groups& r, const inversion_plan& p) {
  double per_point = 0.0;
  for (auto m : r.count) per_point += powering_cost(m);
  return static_cast<double>((p.points() - 1) / 2) * per_point;
}

// Partial sums of one block of points j (summed in order: the result is thread-independent).
struct block_sums {
  double tail = 0.0;             // sum Re(psi_j w^{-j(z+1)} G_j)
  double point = 0.0;            // sum Re(psi_j w^{-jz})
  double inverse_gap = 0.0;      // sum 1 / |1 - rho_j|
  double inverse_gap_psi = 0.0;  // sum |psi_j| / |1 - rho_j|
  // sum |psi_j| / |1 - rho_j|^2 over j >= 2^11, where w^j is a product of two rounded table
  // entries: its absolute error (4u) is then relative to sin(2 pi j / N), not to 1.
  double inverse_gap_squared_psi = 0.0;
  double psi = 0.0;  // sum |psi_j|
};

block_sums add(const block_sums& a, const block_sums& b) {
  return {a.tail + b.tail,
          a.point + b.point,
          a.inverse_gap + b.inverse_gap,
          a.inverse_gap_psi + b.inverse_gap_psi,
          a.inverse_gap_squared_psi + b.inverse_gap_squared_psi,
          a.psi + b.psi};
}

// Pairwise summation over the blocks: the rounding grows with log2(blocks), not blocks.
block_sums pairwise_total(std::span<const block_sums> sums) {
  if (sums.empty()) return {};
  if (sums.size() == 1) return sums[0];
  const std::size_t half = sums.size() / 2;
  return add(pairwise_total(sums.first(half)), pairwise_total(sums.subspan(half)));
}

struct tail_and_point {
  long double more = 0.0L, equal = 0.0L;              // P(S' > z), P(S' = z)
  long double more_error = 0.0L, equal_error = 0.0L;  // absolute error bounds
  std::uint64_t points = 0;
  double work = 0.0;
};

tail_and_point invert(const reduced_groups& r, std::uint64_t z, inversion_kernel kernel) {
  tail_and_point result;
  if (z >= r.total) {  // only the pattern with every sign positive
    result.equal = std::ldexp(1.0L, -static_cast<int>(r.signs));
    return result;
  }
  const inversion_plan plan = plan_inversion(r, z);
  const std::uint64_t N = plan.points(), J = (N - 1) / 2;
  const std::uint64_t L = plan.high - z;  // window points z + 1 .. high of the tail
  result.points = N;
  result.work = plan_work(r, plan);
  if (result.work > binomial_sum_max_work)
    throw infeasible_error("exact tied null by inversion needs " +
                               std::to_string(static_cast<std::uint64_t>(result.work)) +
                               " work units (limit 4e9)",
                           "method", {use_monte_carlo(), use_approximation()});

  const std::size_t G = r.swing.size();
  std::vector<double> success(G), failure(G);  // tilted P(positive), P(negative) per group
  std::vector<std::uint64_t> step(G);          // swing mod N: the root index advances by it per j
  for (std::size_t g = 0; g < G; ++g) {
    const long double t = plan.theta * static_cast<long double>(r.swing[g]);
    success[g] = static_cast<double>(logistic(t));
    failure[g] = static_cast<double>(logistic(-t));
    step[g] = r.swing[g] % N;
  }
  const roots_of_unity root(N);
  const double decay = std::exp(-static_cast<double>(plan.theta));               // e^{-theta}
  const double one_minus_decay = -std::expm1(-static_cast<double>(plan.theta));  // 1 - e^{-theta}
  const double decay_window = std::exp(-static_cast<double>(plan.theta) * static_cast<double>(L));
  const std::uint64_t blocks = (J + block_points - 1) / block_points;
  std::vector<block_sums> sums(blocks);
  const characteristic_inputs kernel_in{&root, success, failure, step, r.count, N};

  resample::parallel_for(tbb::blocked_range<std::uint64_t>(0, blocks), [&](const auto& range) {
    block_buffers buffers;
    for (std::uint64_t b = range.begin(); b != range.end(); ++b) {
      const std::uint64_t first = 1 + b * block_points;
      const std::size_t count =
          static_cast<std::size_t>(std::min<std::uint64_t>(block_points, J + 1 - first));
      characteristic_block(kernel_in, first, count, buffers, kernel);
      const auto& psi_re = buffers.psi_re;
      const auto& psi_im = buffers.psi_im;
      block_sums s;
      std::uint64_t k_tail = multiply_mod(first, (z + 1) % N, N), k_point = multiply_mod(first, z % N, N);
      std::uint64_t k_window = multiply_mod(first, L % N, N);
      const std::uint64_t step_tail = (z + 1) % N, step_point = z % N, step_window = L % N;
      for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t j = first + i;
        const complex_value psi{psi_re[i], psi_im[i]};
        const complex_value w_j = root(j);  // 0 < 2 pi j / N < pi
        // 1 - rho_j, rho_j = e^{-theta} w^{-j}: real part (1 - e^{-theta}) + e^{-theta}(1 - cos),
        // a sum of non-negative terms (no cancellation near j = 0, where the weight is largest).
        const double one_minus_cos = w_j.re >= 0.0 ? w_j.im * w_j.im / (1.0 + w_j.re) : 1.0 - w_j.re;
        const complex_value gap{one_minus_decay + decay * one_minus_cos, decay * w_j.im};
        const complex_value w_window = root(k_window);
        const complex_value numerator{1.0 - decay_window * w_window.re, decay_window * w_window.im};
        // G_j = (1 - rho_j^L) / (1 - rho_j): the geometric weights e^{-theta u} w^{-ju}, u < L.
        const double gap_norm = gap.re * gap.re + gap.im * gap.im;
        const complex_value weight{(numerator.re * gap.re + numerator.im * gap.im) / gap_norm,
                                   (numerator.im * gap.re - numerator.re * gap.im) / gap_norm};
        const complex_value w_tail = root(k_tail), w_point = root(k_point);
        const complex_value shifted_tail = multiply(psi, {w_tail.re, -w_tail.im});
        s.tail += multiply(shifted_tail, weight).re;
        s.point += psi.re * w_point.re + psi.im * w_point.im;
        // |psi| <= 1 and |gap| >= 1 - e^{-theta} > 0 or sin > 0: no overflow or underflow to fear.
        const double psi_abs = std::sqrt(psi.re * psi.re + psi.im * psi.im);
        const double inverse_gap = 1.0 / std::sqrt(gap_norm);
        s.inverse_gap += inverse_gap;
        s.inverse_gap_psi += inverse_gap * psi_abs;
        if (j >> table_shift) s.inverse_gap_squared_psi += inverse_gap * inverse_gap * psi_abs;
        s.psi += psi_abs;
        k_tail += step_tail, k_point += step_point, k_window += step_window;
        k_tail -= k_tail >= N ? N : 0;
        k_point -= k_point >= N ? N : 0;
        k_window -= k_window >= N ? N : 0;
      }
      sums[b] = s;
    }
  });

  const block_sums total = pairwise_total(sums);
  const double n = static_cast<double>(N);
  const double weight_zero = plan.theta > 0
                                 ? std::expm1(-static_cast<double>(plan.theta) * static_cast<double>(L)) /
                                       std::expm1(-static_cast<double>(plan.theta))
                                 : static_cast<double>(L);
  const double tail_sum = (weight_zero + 2.0 * total.tail) / n;  // sum_{u>=0} q(z+1+u) e^{-theta u}
  const double point_sum = (1.0 + 2.0 * total.point) / n;        // q(z)

  // Rounding bounds (standard model, unit roundoff u; derivation in docs/exact-tests.md):
  // |error of psi_j| <= (16 M + 4 G) u; |error of G_j| <= 32 u / |1 - rho_j|, plus
  // 4 u / |1 - rho_j|^2 where w^j comes from two table entries; sequential sums of s terms err
  // by at most s u times the sum of magnitudes.
  const double u = unit_roundoff;
  const double psi_error = (16.0 * static_cast<double>(r.signs) + 4.0 * static_cast<double>(G)) * u;
  const double summation =
      static_cast<double>(block_points + std::bit_width(blocks) + 2) * u;  // in-block, then pairwise
  // The tilted sign probabilities are rounded: the law inverted differs from the tilted law by
  // a factor within 1 +- 2.1 M u at every point.
  const double law_error = 2.1 * static_cast<double>(r.signs) * u;
  // e^{-theta} is rounded: the weight of point u is off by a factor up to e^{1.01 u_r u}.
  const double theta = static_cast<double>(plan.theta);
  const double weight_error =
      1.01 * u *
      std::min(static_cast<double>(L), theta > 0 ? 1.0 / (std::exp(1.0) * theta) : static_cast<double>(L));
  const double tail_error =
      (8.0 * u * weight_zero +
       2.0 * (total.inverse_gap * 2.0 * psi_error + 64.0 * u * total.inverse_gap_psi +
              10.0 * u * total.inverse_gap_squared_psi + summation * 2.0 * total.inverse_gap_psi)) /
          n +
      (4.0 * u + law_error) * std::fabs(tail_sum) + weight_error + 2.0 * static_cast<double>(plan.truncation);
  const double point_error =
      (2.0 * (static_cast<double>(J) * psi_error + 10.0 * u * total.psi + summation * total.psi)) / n +
      (4.0 * u + law_error) * std::fabs(point_sum) + static_cast<double>(plan.truncation);

  // Back from the tilted law: P(S' = s) = q(s) e^{K - theta s}.
  const long double scale_tail = std::exp(plan.log_m - plan.theta * static_cast<long double>(z + 1));
  const long double scale_point = std::exp(plan.log_m - plan.theta * static_cast<long double>(z));
  // The exponents carry extended rounding relative to their terms' size.
  const long double exponent_error =
      64.0L * extended_roundoff *
      (std::fabs(plan.log_m) + plan.theta * static_cast<long double>(z + 1) + static_cast<long double>(G));
  result.more = scale_tail * std::max(0.0L, static_cast<long double>(tail_sum));
  result.equal = scale_point * std::max(0.0L, static_cast<long double>(point_sum));
  result.more_error = scale_tail * static_cast<long double>(tail_error) + result.more * 2 * exponent_error;
  result.equal_error =
      scale_point * static_cast<long double>(point_error) + result.equal * 2 * exponent_error;
  return result;
}

// The upper-tail value z >= T/2 that each alternative needs (S' is symmetric about T/2).
std::uint64_t upper_value(const reduced_groups& r, std::uint64_t y, alternative alt) {
  switch (alt) {
    case alternative::greater:
      return 2 * y >= r.total ? y : r.total - y;
    case alternative::less:
      return 2 * y <= r.total ? r.total - y : y;
    case alternative::two_sided:
      break;
  }
  return std::max(y, r.total - y);
}

std::uint64_t reduced_observed(const reduced_groups& r, std::uint64_t observed) {
  if (observed % r.gcd != 0 || observed / r.gcd > r.total)
    throw_invalid_argument(
        function, "observed value " + std::to_string(observed) + " is not a sum of the swings, expected one");
  return observed / r.gcd;
}

}  // namespace

std::vector<swing_group> group_swings(std::span<const std::uint64_t> swings) {
  std::vector<std::uint64_t> sorted(swings.begin(), swings.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<swing_group> groups;
  for (auto a : sorted) {
    if (a == 0)
      throw_invalid_argument("resample::group_swings", "a swing is zero, expected positive integers");
    if (groups.empty() || groups.back().swing != a)
      groups.push_back({a, 1});
    else
      ++groups.back().count;
  }
  return groups;
}

double binomial_sum_tail_work(std::span<const swing_group> groups, std::uint64_t observed, alternative alt) {
  const auto r = reduce(groups);
  if (!within_size_limits(groups, r)) return std::numeric_limits<double>::infinity();
  const std::uint64_t z = upper_value(r, reduced_observed(r, observed), alt);
  if (z >= r.total) return 0.0;
  return plan_work(r, plan_inversion(r, z));
}

binomial_sum_tail_result binomial_sum_tail(std::span<const swing_group> groups, std::uint64_t observed,
                                           alternative alt, inversion_kernel kernel) {
  const auto r = reduce(groups);
  if (!within_size_limits(groups, r))
    throw infeasible_error("exact null by inversion: " + std::to_string(groups.size()) + " groups (limit " +
                               std::to_string(binomial_sum_max_groups) + ") or a sum of swings past 2^52",
                           "method", {use_monte_carlo(), use_approximation()});
  const std::uint64_t y = reduced_observed(r, observed);
  const std::uint64_t z = upper_value(r, y, alt);
  binomial_sum_tail_result out;
  const tail_and_point t = invert(r, z, kernel);
  out.points = t.points;
  out.work = t.work;
  long double p_error = 0.0L;
  const bool direct = alt == alternative::two_sided || (alt == alternative::greater ? y == z : y != z);
  if (alt == alternative::two_sided) {
    // Values z and T - z are equally extreme; at the centre they are one value.
    const long double mirrors = 2 * z == r.total ? 1 : 2;
    out.tail.more = 2 * t.more, out.tail.equal = mirrors * t.equal;
    p_error = 2 * t.more_error + mirrors * t.equal_error;
  } else if (direct) {
    out.tail.more = t.more, out.tail.equal = t.equal;
    p_error = t.more_error + t.equal_error;
  } else {  // the tail holds at least half the mass: P(S' >= y) = 1 - P(S' > z), z = T - y
    out.tail.equal = t.equal;
    out.tail.more = std::max(0.0L, 1.0L - t.more - t.equal);
    // The bound covers both parts (more = 1 - P(S' > z) - P(S' = z)), not only their sum.
    p_error = t.more_error + t.equal_error + 2 * extended_roundoff;
  }
  const long double p = out.tail.more + out.tail.equal;
  out.relative_error_bound = p > 0 ? static_cast<double>(p_error / p) : 1.0;
  return out;
}

}  // namespace resample::inference
