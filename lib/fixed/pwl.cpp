#include "fixed/pwl.hpp"

#include <utility>

namespace closecert::fixed {

using core::Rational;

Pwl Pwl::affine(Rational slope, Rational offset) {
    Pwl p;
    p.pieces.push_back({std::move(slope), std::move(offset)});
    return p;
}

Rational Pwl::at(const Rational& x) const {
    std::size_t k = 0;
    while (k < breaks.size() && breaks[k] < x) ++k;  // continuity makes the choice at a break irrelevant
    return pieces[k].at(x);
}

void Pwl::minimise() {
    std::vector<Rational> b;
    std::vector<Affine> p;
    p.push_back(std::move(pieces[0]));
    for (std::size_t k = 0; k < breaks.size(); ++k) {
        if (pieces[k + 1] == p.back()) continue;
        b.push_back(std::move(breaks[k]));
        p.push_back(std::move(pieces[k + 1]));
    }
    breaks = std::move(b);
    pieces = std::move(p);
}

Pwl Pwl::scaled_plus(const Rational& c, const Pwl& other) const {
    Pwl out;
    std::size_t i = 0, j = 0;  // current pieces of this and other
    auto emit = [&] {
        out.pieces.push_back({c * pieces[i].slope + other.pieces[j].slope, c * pieces[i].offset + other.pieces[j].offset});
    };
    emit();
    while (i < breaks.size() || j < other.breaks.size()) {
        const bool take_this = j == other.breaks.size() || (i < breaks.size() && breaks[i] <= other.breaks[j]);
        const Rational b = take_this ? breaks[i] : other.breaks[j];
        if (take_this) ++i;
        if (j < other.breaks.size() && other.breaks[j] == b) ++j;
        out.breaks.push_back(b);
        emit();
    }
    out.minimise();
    return out;
}

Pwl apply_ramp(const Pwl& z, const Rational& kink, const Rational& kink_value, const Rational& low_slope,
               const Rational& high_slope) {
    Pwl out;
    auto ramp_piece = [&](const Affine& a, bool high) {
        const Rational& s = high ? high_slope : low_slope;  // s * (a(x) - kink) + kink_value
        return Affine{s * a.slope, s * (a.offset - kink) + kink_value};
    };
    for (std::size_t k = 0; k < z.pieces.size(); ++k) {
        const Affine& a = z.pieces[k];
        if (k > 0) out.breaks.push_back(z.breaks[k - 1]);
        if (a.slope.is_zero()) {
            out.pieces.push_back(ramp_piece(a, a.offset >= kink));
            continue;
        }
        // a crosses the kink at x0; on the piece's left part a < kink iff the slope is positive.
        const Rational x0 = (kink - a.offset) / a.slope;
        const bool inside = (k == 0 || z.breaks[k - 1] < x0) && (k + 1 == z.pieces.size() || x0 < z.breaks[k]);
        const bool rising = a.slope.sign() > 0;
        if (inside) {
            out.pieces.push_back(ramp_piece(a, !rising));
            out.breaks.push_back(x0);
            out.pieces.push_back(ramp_piece(a, rising));
        } else {
            // The whole piece is on one side of x0: test a point of it that is not x0.
            const Rational probe = k == 0 ? z.breaks.empty() ? x0 - Rational(1) : z.breaks[0] - Rational(1)
                                          : k + 1 == z.pieces.size() ? z.breaks[k - 1] + Rational(1)
                                                                     : (z.breaks[k - 1] + z.breaks[k]) / Rational(2);
            out.pieces.push_back(ramp_piece(a, a.at(probe) >= kink));
        }
    }
    out.minimise();
    return out;
}

}  // namespace closecert::fixed
