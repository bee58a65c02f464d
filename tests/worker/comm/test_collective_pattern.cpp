// The known values the collective checks move: a host simulation of each collective over n ranks
// must produce exactly what expected_value() says, and the element codec must round-trip them.
#include <gtest/gtest.h>

#include <vector>

#include "worker/comm/collective_pattern.hpp"
#include "worker/comm/element_codec.hpp"

namespace gs {
namespace {

// recv of `rank` after running `op` on the send buffers of every rank, done by hand.
std::vector<double> simulate(Op op, std::size_t elements, int group, int rank) {
  std::vector<std::vector<double>> send(static_cast<std::size_t>(group));
  for (int r = 0; r < group; ++r) {
    const CollectivePattern p{op, elements, group, r};
    for (std::size_t i = 0; i < p.send_elements(); ++i)
      send[static_cast<std::size_t>(r)].push_back(p.send_value(i));
  }
  const std::size_t c = elements / static_cast<std::size_t>(group);
  const auto me = static_cast<std::size_t>(rank);
  std::vector<double> out;
  switch (op) {
    case Op::all_reduce:
      out.assign(elements, 0);
      for (const auto& s : send)
        for (std::size_t i = 0; i < elements; ++i) out[i] += s[i];
      break;
    case Op::all_gather:
      for (const auto& s : send) out.insert(out.end(), s.begin(), s.end());
      break;
    case Op::reduce_scatter:
      out.assign(c, 0);
      for (const auto& s : send)
        for (std::size_t i = 0; i < c; ++i) out[i] += s[me * c + i];
      break;
    case Op::broadcast:
      out = send[0];
      break;
    case Op::all_to_all:
      for (const auto& s : send)
        out.insert(out.end(), s.begin() + static_cast<long>(me * c),
                   s.begin() + static_cast<long>((me + 1) * c));
      break;
    default:
      break;
  }
  return out;
}

TEST(CollectivePattern, ExpectedValuesMatchAHostSimulation) {
  for (Op op : kCollectiveOps)
    for (int group : {2, 3, 4, 8})
      for (int rank = 0; rank < group; ++rank) {
        const std::size_t elements = static_cast<std::size_t>(group) * 7;
        const CollectivePattern p{op, elements, group, rank};
        const std::vector<double> got = simulate(op, elements, group, rank);
        ASSERT_EQ(got.size(), p.recv_elements()) << to_string(op);
        for (std::size_t i = 0; i < got.size(); ++i)
          ASSERT_EQ(got[i], p.expected_value(i))
              << to_string(op) << " group " << group << " rank " << rank << " element " << i;
      }
}

TEST(CollectivePattern, CloseAllowsBf16RoundingButNotAWrongValue) {
  EXPECT_TRUE(CollectivePattern::close(48.25, 48.0));
  EXPECT_FALSE(CollectivePattern::close(47.0, 48.0));
  EXPECT_FALSE(CollectivePattern::close(0.0, 1.0));
}

TEST(ElementCodec, RoundTripsSmallIntegersInEveryCollectiveDtype) {
  for (DType d : {DType::fp16, DType::bf16, DType::fp32, DType::fp64}) {
    std::vector<std::byte> buffer(8 * 300);
    for (std::size_t i = 0; i < 256; ++i) store_element(d, buffer.data(), i, double(i));
    for (std::size_t i = 0; i < 256; ++i)
      ASSERT_EQ(load_element(d, buffer.data(), i), double(i)) << to_string(d);
  }
  std::vector<std::byte> b(2);
  store_element(DType::bf16, b.data(), 0, 1.0 + 1.0 / 512);  // rounds to even: 1.0
  EXPECT_EQ(load_element(DType::bf16, b.data(), 0), 1.0);
  store_element(DType::fp16, b.data(), 0, 0.1);
  EXPECT_NEAR(load_element(DType::fp16, b.data(), 0), 0.1, 1e-4);
}

}  // namespace
}  // namespace gs
