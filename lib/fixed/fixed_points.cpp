#include "fixed/fixed_points.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "fixed/pwl.hpp"
#include "fixed/smooth.hpp"

namespace closecert::fixed {

using core::Rational;

namespace {

struct TooLarge : std::runtime_error {
    using std::runtime_error::runtime_error;
};

Pwl activate(const Pwl& z, const DenseLayer& d) {
    const Rational zero(0), one(1);
    switch (d.activation) {
    case Activation::identity: return z;
    case Activation::relu: return apply_ramp(z, zero, zero, zero, one);
    case Activation::leaky_relu: return apply_ramp(z, zero, zero, d.slope, one);
    case Activation::hardtanh: return apply_ramp(apply_ramp(z, -one, -one, zero, one), one, one, one, zero);
    default: throw std::logic_error("activate: not piecewise linear");
    }
}

}  // namespace

std::vector<Component> zero_components(const std::vector<Rational>& partition,
                                       const std::vector<std::pair<Rational, Rational>>& cell_maps) {
    std::vector<Component> out;
    auto add = [&out](std::optional<Rational> lo, std::optional<Rational> hi) {
        if (!out.empty() && out.back().hi && lo && *lo <= *out.back().hi) {  // closed cells touch
            if (!hi || *hi > *out.back().hi) out.back().hi = std::move(hi);
            return;
        }
        out.push_back({std::move(lo), std::move(hi)});
    };
    for (std::size_t k = 0; k < cell_maps.size(); ++k) {
        const auto& [a, c] = cell_maps[k];
        std::optional<Rational> lo, hi;
        if (k > 0) lo = partition[k - 1];
        if (k < partition.size()) hi = partition[k];
        if (a.is_zero()) {
            if (c.is_zero()) add(lo, hi);
            continue;
        }
        const Rational r = -c / a;
        if ((!lo || *lo <= r) && (!hi || r <= *hi)) add(r, r);
    }
    return out;
}

FixedResult fixed_points(const Network& n, const FixedLimits& limits) {
    const auto start = std::chrono::steady_clock::now();
    FixedResult res;
    auto finish = [&](FixedResult& r) -> FixedResult& {
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return r;
    };
    if (const std::string d = shape_defect(n); !d.empty()) throw std::invalid_argument(d);
    for (const DenseLayer& d : n.layers)
        if (!piecewise_linear(d.activation)) return smooth_fixed_points(n, limits);
    auto check_time = [&] {
        if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > limits.timeout_seconds)
            throw TooLarge("time limit of " + std::to_string(static_cast<long>(limits.timeout_seconds)) + " s reached");
    };
    try {
        std::vector<Pwl> h{Pwl::affine(Rational(1), Rational(0))};
        std::vector<Rational> partition;
        for (const DenseLayer& d : n.layers) {
            std::vector<Pwl> next;
            for (std::size_t i = 0; i < d.units(); ++i) {
                Pwl z = Pwl::affine(Rational(0), d.bias[i]);
                for (std::size_t j = 0; j < h.size(); ++j) {
                    if (d.weights[i][j].is_zero()) continue;
                    z = h[j].scaled_plus(d.weights[i][j], z);
                    check_time();
                }
                next.push_back(activate(z, d));
                if (next.back().breaks.size() > limits.max_breaks)
                    throw TooLarge("a unit has more than " + std::to_string(limits.max_breaks) + " breakpoints");
                partition.insert(partition.end(), next.back().breaks.begin(), next.back().breaks.end());
            }
            std::sort(partition.begin(), partition.end());
            partition.erase(std::unique(partition.begin(), partition.end()), partition.end());
            if (partition.size() > limits.max_breaks)
                throw TooLarge("the partition has more than " + std::to_string(limits.max_breaks) + " breakpoints");
            h = std::move(next);
        }
        const Pwl g = h[0].scaled_plus(Rational(1), Pwl::affine(Rational(-1), Rational(0)));  // f(x) - x
        std::vector<std::pair<Rational, Rational>> maps;
        for (const Affine& a : g.pieces) maps.emplace_back(a.slope, a.offset);
        res.components = zero_components(g.breaks, maps);
        res.partition = std::move(partition);
        res.pieces = h[0].pieces.size();
        res.decided = true;
    } catch (const TooLarge& e) {
        res.reason = e.what();
    }
    return finish(res);
}

}  // namespace closecert::fixed
