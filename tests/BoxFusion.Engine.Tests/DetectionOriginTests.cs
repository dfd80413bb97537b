using System.Text;
using BoxFusion.Fusion;
using BoxFusion.Json;

namespace BoxFusion.Tests
{
    /// <summary>
    /// Detections share their model and source models (one DetectionOrigin per file, or per fusion method and set of
    /// models): a setter on one detection must replace its own tail, never change the one the others hold.
    /// </summary>
    public class DetectionOriginTests
    {
        private static readonly Mask Square = Mask.FromBox(1, 1, 2, 2, 4, 4);
        private static readonly Mask Dot = Mask.FromBox(0, 0, 1, 1, 4, 4);

        private static Detection[] Read(string json)
        {
            using var stream = new System.IO.MemoryStream(Encoding.UTF8.GetBytes(json));
            using var reader = new CocoResultReader(stream, "mem.json", "reader");
            return reader.ReadAll().ToArray();
        }

        /// <summary>Two detections of one file, or two of one fusion method and set of models: each pair shares a tail.</summary>
        public static TheoryData<string> Pairs() => new TheoryData<string> { "read", "fused", "new", "masked" };

        private static (Detection First, Detection Second) Pair(string kind)
        {
            switch (kind)
            {
                case "read":
                    var read = Read("[{\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,4,4],\"score\":0.9}," +
                                    "{\"image_id\":2,\"category_id\":1,\"bbox\":[0,0,4,4],\"score\":0.8}]");
                    return (read[0], read[1]);
                case "fused":
                    var ensemble = new DetectionEnsemble();
                    foreach (long image in new[] { 1L, 2L })
                    {
                        ensemble.Add(new Detection(image, 1, 0.9, 0, 0, 10, 10, "a"));
                        ensemble.Add(new Detection(image, 1, 0.8, 1, 0, 10, 10, "b"));
                    }
                    var context = new FusionContext(new FusionOptions(), ensemble.Models, null);
                    var fused = FusionEngine.FuseAll(ensemble, context, null, null).SelectMany(x => x).ToArray();
                    Assert.Equal(2, fused.Length);
                    Assert.Same(fused[0].SourceModels, fused[1].SourceModels);
                    return (fused[0], fused[1]);
                case "new":
                    return (new Detection(1L, 1, 0.9, 0, 0, 4, 4, "made"), new Detection(2L, 1, 0.8, 0, 0, 4, 4, "made"));
                default:
                    var masked = Read("[{\"image_id\":1,\"category_id\":1,\"score\":0.9,\"segmentation\":{\"size\":[4,4],\"counts\":[5,2,2,2,5]}}," +
                                      "{\"image_id\":2,\"category_id\":1,\"score\":0.8,\"segmentation\":{\"size\":[4,4],\"counts\":[5,2,2,2,5]}}]");
                    Assert.True(masked[0].BoxFromMask && masked[1].BoxFromMask);
                    return (masked[0], masked[1]);
            }
        }

        private static (string Model, string Sources, Mask Mask, bool BoxFromMask) State(Detection d) =>
            (d.Model, d.SourceModels.ToString(), d.Mask, d.BoxFromMask);

        [Theory]
        [MemberData(nameof(Pairs))]
        public void SettingModelLeavesTheOtherDetection(string kind)
        {
            var (first, second) = Pair(kind);
            var before = State(second);
            first.Model = "renamed";
            Assert.Equal("renamed", first.Model);
            Assert.Equal(before, State(second));
        }

        [Theory]
        [MemberData(nameof(Pairs))]
        public void SettingSourceModelsLeavesTheOtherDetection(string kind)
        {
            var (first, second) = Pair(kind);
            var before = State(second);
            first.SourceModels = new[] { "x", "y" };
            Assert.Equal(new[] { "x", "y" }, first.SourceModels);
            Assert.Equal(before, State(second));
            first.SourceModels = null;
            Assert.Same(ValueList<string>.Empty, first.SourceModels);
            Assert.Equal(before, State(second));
        }

        [Theory]
        [MemberData(nameof(Pairs))]
        public void SettingMaskLeavesTheOtherDetection(string kind)
        {
            var (first, second) = Pair(kind);
            var before = State(second);
            first.Mask = Dot;
            Assert.Same(Dot, first.Mask);
            Assert.False(first.BoxFromMask); // a new mask clears it
            Assert.Equal(before, State(second));
            first.Mask = null;
            Assert.False(first.HasMask);
            Assert.Equal(before, State(second));
        }

        [Fact]
        public void TheMaskStaysWhenTheModelChanges()
        {
            var (first, second) = Pair("masked");
            var mask = first.Mask;
            first.Model = "renamed";
            first.SourceModels = new[] { "x" };
            Assert.Same(mask, first.Mask);
            Assert.True(first.BoxFromMask);
            Assert.Equal("reader", second.Model);
            first.BoxFromMask = false;
            Assert.Same(mask, first.Mask);
            Assert.True(second.BoxFromMask);
        }

        [Fact]
        public void RepeatedSetsShareOneTailYetStaySeparate()
        {
            var a = new Detection(1L, 1, 0.9, 0, 0, 4, 4, "one");
            var b = new Detection(1L, 1, 0.9, 0, 0, 4, 4, "one");
            a.Model = "two";
            b.Model = "two";
            b.Model = "three";
            Assert.Equal("two", a.Model);
            Assert.Equal("three", b.Model);
        }

        [Fact]
        public void CloneIsIndependent()
        {
            var original = new Detection(1L, 1, 0.9, 0, 0, 4, 4, "model") { MergedCount = 2, SourceModels = new[] { "a", "b" } };
            original.Mask = Square;
            var clone = original.Clone();
            Assert.Equal(State(original), State(clone));
            clone.Model = "other";
            clone.SourceModels = new[] { "c" };
            clone.Mask = Dot;
            clone.ImageId = 9;
            clone.Score = 0.1;
            clone.MergedCount = 5;
            Assert.Equal(("model", "a, b", Square, false), State(original));
            Assert.Equal(1L, original.ImageId);
            Assert.Equal(0.9, original.Score);
            Assert.Equal(2, original.MergedCount);
            original.Mask = null;
            original.Model = "changed";
            Assert.Equal(("other", "c", Dot, false), State(clone));
        }

        [Fact]
        public void NewDetectionHasNoModelNorSources()
        {
            var d = new Detection();
            Assert.Null(d.Model);
            Assert.Same(ValueList<string>.Empty, d.SourceModels);
            Assert.Null(d.Mask);
            Assert.False(d.HasMask);
        }
    }
}
