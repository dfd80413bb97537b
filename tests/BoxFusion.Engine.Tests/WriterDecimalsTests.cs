using BoxFusion.Json;

namespace BoxFusion.Tests
{
    /// <summary>Export-Submission -Decimals: the writer rounds boxes and scores, and the file shrinks.</summary>
    public class WriterDecimalsTests
    {
        private static string Write(int decimals, params Detection[] detections)
        {
            using var stream = new MemoryStream();
            using (var writer = decimals < 0 ? new CocoResultWriter(stream) : new CocoResultWriter(stream, decimals))
            {
                foreach (var d in detections) writer.Write(d);
                writer.Complete();
            }
            return Encoding.UTF8.GetString(stream.ToArray());
        }

        [Fact]
        public void RoundsBoxAndScoreHalfAwayFromZeroWithoutMinusZero()
        {
            var d = new Detection(7L, 3, 0.876543219, 12.3456789, 0.125, 99.995001, -0.004, "m");
            Assert.Equal("[\n{\"image_id\":7,\"category_id\":3,\"bbox\":[12.35,0.13,100,0],\"score\":0.88}\n]\n", Write(2, d));
            Assert.Equal("[\n{\"image_id\":7,\"category_id\":3,\"bbox\":[12,0,100,0],\"score\":1}\n]\n", Write(0, d));
            Assert.Contains("\"bbox\":[12.3456789,0.125,99.995001,-0.004],\"score\":0.876543219", Write(-1, d));
        }

        [Fact]
        public void RoundedValuesReadBackAsTheRoundedNumbersAndTheFileShrinks()
        {
            var random = new Random(3);
            var input = Enumerable.Range(0, 5000).Select(i => new Detection((long)(i / 50), i % 80, random.NextDouble(),
                random.NextDouble() * 640, random.NextDouble() * 480, random.NextDouble() * 200, random.NextDouble() * 200, "m")).ToArray();
            string full = Write(-1, input), rounded = Write(2, input);
            Assert.True(rounded.Length < full.Length * 0.6, $"{rounded.Length} bytes rounded, {full.Length} not");
            using var reader = new CocoResultReader(new MemoryStream(Encoding.UTF8.GetBytes(rounded)), "mem", "m");
            var back = reader.ReadAll().ToArray();
            Assert.Equal(input.Length, back.Length);
            for (int i = 0; i < input.Length; i++)
            {
                Assert.Equal(Math.Round(input[i].X, 2, MidpointRounding.AwayFromZero), back[i].X);
                Assert.Equal(Math.Round(input[i].Height, 2, MidpointRounding.AwayFromZero), back[i].Height);
                Assert.Equal(Math.Round(input[i].Score, 2, MidpointRounding.AwayFromZero), back[i].Score);
            }
        }

        [Fact]
        public void RefusesDecimalsOutsideZeroToFifteen()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new CocoResultWriter(new MemoryStream(), 16));
            Assert.Throws<ArgumentOutOfRangeException>(() => new CocoResultWriter(new MemoryStream(), -1));
        }
    }
}
