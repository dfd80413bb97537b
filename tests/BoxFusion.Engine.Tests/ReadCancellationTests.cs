using BoxFusion.Coco;

namespace BoxFusion.Tests
{
    /// <summary>Reading a ground truth stops on cancellation (Ctrl+C in the cmdlets), at the next buffer refill.</summary>
    public class ReadCancellationTests
    {
        private static string Data(params string[] parts) => Path.Combine(new[] { AppContext.BaseDirectory, "data" }.Concat(parts).ToArray());

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void ACancelledLoadStopsBeforeReading(bool imagesOnly)
        {
            using (var cancel = new CancellationTokenSource())
            {
                cancel.Cancel();
                string path = Data("coco-fake100", "instances_val2014_100.json");
                Assert.Throws<OperationCanceledException>(() => imagesOnly ? CocoGroundTruth.LoadImagesOnly(path, cancel.Token) : CocoGroundTruth.Load(path, cancel.Token));
            }
        }

        [Fact]
        public void TheReaderChecksAtEveryRefill()
        {
            // With a 64-byte buffer the file takes thousands of refills; cancelling after the first few must stop it.
            string path = Data("coco-fake100", "instances_val2014_100.json");
            using (var cancel = new CancellationTokenSource())
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                var stream = new CancellableReadStream(file, cancel.Token);
                var buffer = new byte[64];
                Assert.Equal(64, stream.Read(buffer, 0, 64));
                cancel.Cancel();
                Assert.Throws<OperationCanceledException>(() => stream.Read(buffer, 0, 64));
                Assert.Equal(64, file.Position);
            }
        }

        [Fact]
        public void AnUncancelledTokenReadsTheSame()
        {
            string path = Data("case-b", "gt.json");
            var expected = CocoGroundTruth.Load(path);
            using (var cancel = new CancellationTokenSource())
            {
                var actual = CocoGroundTruthReader.Read(path, imagesOnly: false, bufferSize: 64, cancel: cancel.Token);
                Assert.Equal(expected.Images.Count, actual.Images.Count);
                Assert.Equal(expected.Annotations.Select(a => a.Id), actual.Annotations.Select(a => a.Id));
            }
        }
    }
}
