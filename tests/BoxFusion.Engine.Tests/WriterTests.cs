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

        [Fact]
        public void RefusesNonFiniteNumbers()
        {
            Assert.Throws<ArgumentException>(() => Write(new Detection(1L, 1, double.NaN, 0, 0, 1, 1, "m")));
        }
    }
}
