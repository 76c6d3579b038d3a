// The ReLU half of `closecert check`: turns the linear result into a ReLU verdict and proof.
#pragma once

#include "arch/architecture.hpp"
#include "engine/engine.hpp"
#include "io/certificate.hpp"

namespace closecert::cli {

io::ReluPart relu_part_for(const arch::Architecture& a, const engine::LinearResult& linear);

}  // namespace closecert::cli
