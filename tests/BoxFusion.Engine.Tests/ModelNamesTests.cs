using BoxFusion.Fusion;

namespace BoxFusion.Tests
{
    /// <summary>Default model names from the layouts detectors write, and case-insensitive model identity.</summary>
    public class ModelNamesTests
    {
        private static string P(string path) => path.Replace('/', Path.DirectorySeparatorChar);

        private static string[] Derive(params string[] paths) => ModelNames.Derive(paths.Select(P).ToArray());

        [Theory]
        [InlineData("/r/yolox.json", "yolox")]
        [InlineData("/r/results.bbox.json", "results")]
        [InlineData("/r/mask.SEGM.json", "mask")]
        [InlineData("/r/rpn.proposal.json", "rpn")]
        [InlineData("/r/a.bbox.segm.json", "a.bbox")]
        [InlineData("/r/.bbox.json", ".bbox")]
        [InlineData("/r/v1.2.json", "v1.2")]
        public void BaseNameDropsTheExtensionAndOneMmdetectionSuffix(string path, string expected) =>
            Assert.Equal(expected, ModelNames.BaseName(P(path)));

        [Fact]
        public void DistinctBaseNamesAreKept() =>
            Assert.Equal(new[] { "yolox", "cascade" }, Derive("/w/a/yolox.json", "/w/a/cascade.bbox.json"));

        [Fact]
        public void MmdetectionWorkDirsAreNamedByTheirConfigFolder() =>
            Assert.Equal(new[] { "yolox", "cascade", "detr" },
                Derive("/w/work_dirs/yolox/results.bbox.json", "/w/work_dirs/cascade/results.bbox.json", "/w/work_dirs/detr/results.bbox.json"));

        [Fact]
        public void YoloValRunsAreNamedByTheirExpFolder() =>
            Assert.Equal(new[] { "exp", "exp2" }, Derive("/w/runs/val/exp/predictions.json", "/w/runs/val/exp2/predictions.json"));

        [Fact]
        public void Detectron2OutputsAreNamedByTheNearestFolderThatDiffers() =>
            Assert.Equal(new[] { "out_a", "out_b" },
                Derive("/w/out_a/inference/coco_instances_results.json", "/w/out_b/inference/coco_instances_results.json"));

        [Fact]
        public void OneDepthNamesTheWholeGroupAndOtherFilesKeepTheirBaseName() =>
            Assert.Equal(new[] { "a", "b", "c", "detr" },
                Derive("/w/a/x/r.json", "/w/b/x/r.json", "/w/c/y/r.json", "/w/c/y/detr.json"));

        [Fact]
        public void FoldersDifferingOnlyByCaseDoNotTellFilesApart()
        {
            var names = Derive("/w/Run/inference/r.json", "/w/run/inference/r.json");
            Assert.Equal(new[] { "r", "r" }, names);
            Assert.Single(ModelNames.Duplicates(names));
        }

        [Fact]
        public void TheSameFileTwiceCannotBeToldApart()
        {
            var names = Derive("/w/a/results.bbox.json", "/w/a/results.bbox.json");
            Assert.Equal(new[] { 0, 1 }, ModelNames.Duplicates(names).Single());
        }

        [Fact]
        public void FileNamesDifferingOnlyByCaseInOneFolderAreDuplicates()
        {
            var names = Derive("/w/a/Det.json", "/w/a/det.json", "/w/a/other.json");
            Assert.Equal(new[] { 0, 1 }, ModelNames.Duplicates(names).Single());
        }

        [Fact]
        public void AFolderNameThatCollidesWithAnotherFileIsReportedAsDuplicate()
        {
            var names = Derive("/w/yolox.json", "/w/work_dirs/yolox/results.bbox.json", "/w/work_dirs/detr/results.bbox.json");
            Assert.Equal(new[] { "yolox", "yolox", "detr" }, names);
            Assert.Equal(new[] { 0, 1 }, ModelNames.Duplicates(names).Single());
        }

        [Fact]
        public void DuplicatesGroupsIgnoreCaseInOrderOfFirstAppearance()
        {
            var groups = ModelNames.Duplicates(new[] { "b", "A", "B", "c", "a", "b" });
            Assert.Equal(2, groups.Count);
            Assert.Equal(new[] { 0, 2, 5 }, groups[0]);
            Assert.Equal(new[] { 1, 4 }, groups[1]);
            Assert.Empty(ModelNames.Duplicates(new[] { "x", "y" }));
        }

        [Fact]
        public void TheEnsembleTreatsNamesDifferingOnlyByCaseAsOneModel()
        {
            var ensemble = new DetectionEnsemble();
            ensemble.Add(new Detection(1L, 1, 0.9, 0, 0, 10, 10, "Det"));
            ensemble.Add(new Detection(1L, 1, 0.8, 0, 0, 10, 10, "det"));
            ensemble.Add(new Detection(1L, 1, 0.7, 0, 0, 10, 10, "other"));
            Assert.Equal(new[] { "Det", "other" }, ensemble.Models);
            Assert.Equal(new[] { 0, 0, 1 }, ensemble.GetImage(0).Select(e => e.Model));
        }
    }
}
