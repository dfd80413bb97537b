using BoxFusion.Json;

namespace BoxFusion.Tests
{
    public class WriterTests
    {
        private static string Write(params Detection[] detections)
        {
            using var stream = new MemoryStream();
            using (var writer = new CocoResultWriter(stream))
            {
                foreach (var d in detections) writer.Write(d);
                writer.Complete();
            }
            return System.Text.Encoding.UTF8.GetString(stream.ToArray());
        }

        private static Detection[] ReadBack(string json)
        {
            using var reader = new CocoResultReader(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "mem", "m");
            return reader.ReadAll().ToArray();
        }

        [Fact]
        public void EveryNumberReadsBackExactlyAndIdsKeepTheirType()
        {
            var random = new Random(7);
            double[] special = { 0, 0.1, 0.5, 1, 757.331, 1e-7, 123456789.123, 0.30000000000000004, 1.0 / 3, 999999.999999, 5e-324, 999999999.75 };   // the largest coordinates the reader accepts are 1e9 (DetectionRules)
            var input = Enumerable.Range(0, 20000).Select(i =>
            {
                double Pick() => i < special.Length * 4 ? special[i % special.Length] : i % 2 == 0 ? random.NextDouble() * 2000 : Math.Round(random.NextDouble() * 2000, random.Next(0, 7));
                object id = i % 3 == 0 ? (object)("img \"" + i % 17 + "\".jpg") : (long)(i % 50);
                return new Detection(id, i % 80, Math.Min(1, Math.Abs(Pick()) / 2000), Pick(), Pick(), Pick(), Pick(), "m");
            }).ToArray();
            var back = ReadBack(Write(input));
            Assert.Equal(input.Length, back.Length);
            for (int i = 0; i < input.Length; i++)
            {
                Assert.Equal(input[i].ImageId, back[i].ImageId);
                Assert.Equal(input[i].CategoryId, back[i].CategoryId);
                Assert.Equal(input[i].Score, back[i].Score);
                Assert.Equal(input[i].X, back[i].X);
                Assert.Equal(input[i].Y, back[i].Y);
                Assert.Equal(input[i].Width, back[i].Width);
                Assert.Equal(input[i].Height, back[i].Height);
            }
        }

        [Fact]
        public void WritesOneRecordPerLineAndShortDecimals()
        {
            string json = Write(new Detection(7L, 3, 0.5, 757.331, 10, 20.25, 30, "m"), new Detection("a.jpg", 1, 0.25, 1, 2, 3, 4, "m"));
            Assert.Equal("[\n{\"image_id\":7,\"category_id\":3,\"bbox\":[757.331,10,20.25,30],\"score\":0.5},\n{\"image_id\":\"a.jpg\",\"category_id\":1,\"bbox\":[1,2,3,4],\"score\":0.25}\n]\n", json);
            Assert.Equal("[]\n", Write());
        }

        /// <summary>
        /// Full-precision numbers (fusion's averages) get past the writer's few-decimals shortcut: the text must be
        /// exactly the runtime's shortest round-trip text, for any faster way of writing them too.
        /// </summary>
        [Fact]
        public void FullPrecisionNumbersAreWrittenAsTheRuntimeWritesThem()
        {
            var random = new Random(11);
            var values = new System.Collections.Generic.List<double>();
            for (int e = -14; e < 30; e++)
            {
                long bits = BitConverter.DoubleToInt64Bits(Math.Pow(2, e));
                for (int d = -2; d <= 2; d++) values.Add(BitConverter.Int64BitsToDouble(bits + d));
            }
            for (int i = 0; i < 200000; i++)
            {
                double x1 = Math.Round(random.NextDouble() * 640, 2), x2 = Math.Round(random.NextDouble() * 640, 2);
                double s1 = Math.Round(random.NextDouble(), 3), s2 = Math.Round(random.NextDouble(), 3);
                values.Add(i % 2 == 0 ? (s1 * x1 + s2 * x2) / (s1 + s2) : random.NextDouble() * Math.Pow(10, random.Next(-4, 9)));
            }
            // Any bit pattern from 2^-12 to 2^32 (every exponent alike), and the neighbours of decimals with 15 to 17 digits.
            for (int i = 0; i < 300000; i++)
            {
                long exponentBits = 1023L - 12 + random.Next(0, 45);
                long fractionBits = ((long)random.Next() << 21 ^ random.Next()) & ((1L << 52) - 1);
                values.Add(BitConverter.Int64BitsToDouble(exponentBits << 52 | fractionBits));
                double decimal17 = double.Parse((random.NextDouble() * 1000).ToString("F" + random.Next(12, 15), System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
                long near = BitConverter.DoubleToInt64Bits(decimal17);
                for (int d = -1; d <= 1; d++) values.Add(BitConverter.Int64BitsToDouble(near + d));
            }
            var buffer = new byte[64];
            foreach (double v in values)
            {
                foreach (double signed in new[] { v, -v })
                {
                    string expected = signed.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                    if (expected.IndexOf('.') < 0 || expected.Length - expected.IndexOf('.') - 1 <= 6 || expected.Contains('E')) continue; // others take the short-decimal way
                    int n = CocoResultWriter.Number(buffer, 0, signed);
                    Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(buffer, 0, n));
                }
            }
        }

        /// <summary>
        /// Numbers with few decimals (and their neighbours one step away) are written as the plain search over 0 to 6
        /// decimals writes them: the quick test in front of it, which sends full-precision values straight on, changes no text.
        /// </summary>
        [Fact]
        public void FewDecimalNumbersAreWrittenAsTheDecimalSearchWritesThem()
        {
            var random = new Random(5);
            var buffer = new byte[64];
            var expected = new byte[64];
            double[] scales = { 1, 10, 100, 1000, 10000, 100000, 1000000 };
            for (int i = 0; i < 400000; i++)
            {
                int k = random.Next(0, 7);
                long digits = (long)(random.NextDouble() * Math.Pow(10, random.Next(0, 16)));
                double v = digits / scales[k];
                if (!(v < 1e9)) continue;
                long bits = BitConverter.DoubleToInt64Bits(v);
                foreach (double near in new[] { v, BitConverter.Int64BitsToDouble(bits + 1), BitConverter.Int64BitsToDouble(Math.Max(0, bits - 1)) })
                {
                    foreach (double signed in new[] { near, -near })
                    {
                        int n = CocoResultWriter.Number(buffer, 0, signed);
                        int m = DecimalSearch(expected, signed, scales);
                        Assert.Equal(System.Text.Encoding.ASCII.GetString(expected, 0, m), System.Text.Encoding.ASCII.GetString(buffer, 0, n));
                    }
                }
            }
        }

        /// <summary>The writer's rule, tried decimal count by decimal count: the fewest decimals (up to 6) that read back as the value, else the runtime's text.</summary>
        private static int DecimalSearch(byte[] b, double value, double[] scales)
        {
            double magnitude = Math.Abs(value);
            for (int k = 0; k < scales.Length && magnitude < 1e9; k++)
            {
                double scaled = magnitude * scales[k];
                if (Math.Round(scaled) != scaled || Math.Round(scaled) / scales[k] != magnitude) continue;
                string text = ((value < 0 ? -1 : 1) * (decimal)Math.Round(scaled) / (decimal)scales[k]).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (text.Contains('.')) text = text.TrimEnd('0').TrimEnd('.');
                return System.Text.Encoding.ASCII.GetBytes(text, 0, text.Length, b, 0);
            }
            string r = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            return System.Text.Encoding.ASCII.GetBytes(r, 0, r.Length, b, 0);
        }

        [Fact]
        public void RefusesNonFiniteNumbers()
        {
            Assert.Throws<ArgumentException>(() => Write(new Detection(1L, 1, double.NaN, 0, 0, 1, 1, "m")));
        }
    }
}
