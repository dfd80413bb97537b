using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using BoxFusion.Json;

namespace BoxFusion.Tests
{
    /// <summary>
    /// The writer's numbers against slow exact references: with -Decimals, the double's exact binary value (as a
    /// BigInteger decimal expansion) rounded half away from zero digit by digit; without, the runtime's round-trip text.
    /// </summary>
    public class WriterNumberTests
    {
        private static readonly Regex Record = new Regex("\"bbox\":\\[([^,]+),([^,]+),([^,]+),([^\\]]+)\\],\"score\":([^}]+)\\}");

        /// <summary>Every value through the writer as box and score numbers, with the given decimals; the texts in order.</summary>
        private static List<string> WrittenTexts(IReadOnlyList<double> values, int decimals)
        {
            using var stream = new MemoryStream();
            using (var writer = decimals < 0 ? new CocoResultWriter(stream) : new CocoResultWriter(stream, decimals))
            {
                for (int i = 0; i < values.Count; i += 5)
                {
                    double V(int k) => values[Math.Min(i + k, values.Count - 1)];
                    writer.Write(new Detection(1L, 1, V(4), V(0), V(1), V(2), V(3), "m"));
                }
                writer.Complete();
            }
            var texts = new List<string>();
            foreach (Match m in Record.Matches(Encoding.ASCII.GetString(stream.ToArray())))
            {
                for (int g = 1; g <= 5; g++) texts.Add(m.Groups[g].Value);
            }
            return texts.Take(values.Count).ToList();
        }

        /// <summary>The exact decimal expansion of a double, rounded to N decimals half away from zero, as text.</summary>
        internal static string ExactlyRounded(double value, int decimals)
        {
            long bits = BitConverter.DoubleToInt64Bits(value);
            bool negative = bits < 0;
            long mantissa = bits & 0xFFFFFFFFFFFFFL;
            int exponent = (int)((bits >> 52) & 0x7FF);
            if (exponent == 0) exponent = 1; else mantissa |= 1L << 52;
            int e = exponent - 1075;
            // value = digits / 10^places exactly (2^-n = 5^n / 10^n)
            BigInteger digits = e >= 0 ? new BigInteger(mantissa) << e : mantissa * BigInteger.Pow(5, -e);
            int places = Math.Max(0, -e);
            string text = digits.ToString(CultureInfo.InvariantCulture).PadLeft(places + 1, '0');
            string whole = text.Substring(0, text.Length - places), fraction = text.Substring(text.Length - places);
            string kept = string.Concat(whole, fraction.PadRight(decimals, '0').AsSpan(0, decimals));
            bool up = fraction.Length > decimals && fraction[decimals] >= '5'; // the next digit decides, ties included
            var rounded = BigInteger.Parse(kept, CultureInfo.InvariantCulture) + (up ? 1 : 0);
            string r = rounded.ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
            string result = decimals == 0 ? r : string.Concat(r.AsSpan(0, r.Length - decimals), ".", r.AsSpan(r.Length - decimals));
            if (decimals > 0) result = result.TrimEnd('0').TrimEnd('.');
            if (rounded.IsZero) return "0";
            return (negative ? "-" : "") + (rounded < BigInteger.Pow(10, 15) ? result : Shortest(double.Parse(result, CultureInfo.InvariantCulture)));
        }

        private static string Shortest(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        private static List<double> Values(int seed, int count)
        {
            var random = new Random(seed);
            var values = new List<double>
            {
                0.0, -0.0, 2.675, 1.005, 1.045, 0.125, -0.125, 0.5, 1.5, 2.5, -2.5, 0.0045, 999999.995, 99.995, 0.3, 1e-7,
                double.Epsilon, -double.Epsilon, 2.2250738585072014E-308, double.MaxValue, double.MinValue, 1e300, -1e300,
                4503599627370495.5, 4503599627370496, 9007199254740993, 1e15, 999999999999999.9, 123456789012.34567,
                0.49999999999999994, 0.5000000000000001, 1e-15, 5e-16, 4.9999999999999996e-16,
            };
            for (int i = 0; i < count; i++)
            {
                double v;
                switch (i % 6)
                {
                    case 0: v = random.NextDouble() * Math.Pow(10, random.Next(-18, 18)); break;
                    case 1: v = BitConverter.Int64BitsToDouble(((long)random.Next() << 33) ^ ((long)random.Next() << 2) ^ random.Next(4)); break;
                    case 2: // near a decimal half: a number of up to 15 decimals that ends in 5
                        var text = new StringBuilder(random.Next(0, 100000).ToString(CultureInfo.InvariantCulture)).Append('.');
                        for (int d = random.Next(0, 15); d > 0; d--) text.Append((char)('0' + random.Next(10)));
                        v = double.Parse(text.Append('5').ToString(), CultureInfo.InvariantCulture);
                        break;
                    case 3: v = random.Next(-100000, 100000) / Math.Pow(2, random.Next(0, 40)); break; // exact binary fractions, exact ties
                    case 4: v = random.NextDouble() * 2000; break;
                    default: v = Math.Round(random.NextDouble() * 1000, random.Next(0, 8)); break;
                }
                if (double.IsNaN(v) || double.IsInfinity(v)) v = random.NextDouble();
                values.Add(random.Next(4) == 0 ? -v : v);
            }
            return values;
        }

        [Fact]
        public void RoundsTheExactBinaryValueNotItsProduct()
        {
            // 2.675 is 2.67499999999999982... and 1.045 is 1.04499999999999992...: 2.67 and 1.04, though the products
            // 2.675 × 100 and 1.045 × 100 round to 267.5 and 104.5 in floating point.
            Assert.Equal(new[] { "2.67", "1.04", "0.13", "-0.13", "100", "0.004" }, WrittenTexts(new[] { 2.675, 1.045, 0.125, -0.125, 99.995, 0.0045 }, 2).Take(5).Concat(WrittenTexts(new[] { 0.0045 }, 3)));
            Assert.Equal(2.67, CocoResultWriter.Round(2.675, 2));
            Assert.Equal(0.0, CocoResultWriter.Round(-0.004, 2));
            Assert.False(double.IsNegative(CocoResultWriter.Round(-0.004, 2)));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        [InlineData(6)]
        [InlineData(9)]
        [InlineData(12)]
        [InlineData(14)]
        [InlineData(15)]
        public void RoundedTextIsTheExactRoundingOfEveryDouble(int decimals)
        {
            var values = Values(decimals + 100, 30000);
            var texts = WrittenTexts(values, decimals);
            Assert.Equal(values.Count, texts.Count);
            for (int i = 0; i < values.Count; i++)
            {
                string expected = ExactlyRounded(values[i], decimals);
                Assert.True(expected == texts[i], $"{values[i]:R} to {decimals} decimals: {texts[i]}, expected {expected}");
                double back = double.Parse(texts[i], CultureInfo.InvariantCulture);
                Assert.Equal(back, CocoResultWriter.Round(values[i], decimals));
            }
        }

        [Fact]
        public void FullPrecisionTextIsTheRuntimesRoundTripText()
        {
            var values = Values(5, 200000);
            var random = new Random(9);
            for (int i = 0; i < 100000; i++)
            {
                // Boxes and scores as fusion leaves them, and their neighbours one unit in the last place away.
                double v = random.NextDouble() * Math.Pow(10, random.Next(-4, 9));
                long bits = BitConverter.DoubleToInt64Bits(v);
                values.Add(BitConverter.Int64BitsToDouble(bits + random.Next(-1, 2)));
            }
            for (int e = -14; e < 30; e++)
            {
                long bits = BitConverter.DoubleToInt64Bits(Math.Pow(2, e));
                for (int d = -2; d <= 2; d++) values.Add(BitConverter.Int64BitsToDouble(bits + d));
            }
            for (int e = -4; e <= 9; e++)
            {
                long bits = BitConverter.DoubleToInt64Bits(Math.Pow(10, e));
                for (int d = -3; d <= 3; d++) values.Add(BitConverter.Int64BitsToDouble(bits + d));
            }
            var texts = WrittenTexts(values, -1);
            for (int i = 0; i < values.Count; i++)
            {
                double v = values[i], magnitude = Math.Abs(v);
                Assert.Equal(v, double.Parse(texts[i], CultureInfo.InvariantCulture));
                if (magnitude >= 1e-4 && magnitude < 1e9) Assert.True(Shortest(v) == texts[i], $"{Shortest(v)} written {texts[i]}");
            }
        }
    }
}
