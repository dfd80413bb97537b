using System.Collections;
using BoxFusion.Coco;
using BoxFusion.Evaluation;
using BoxFusion.Fusion;
using BoxFusion.Optimization;

namespace BoxFusion.Tests
{
    /// <summary>The parameter search: its plan, its ranking, and trials whose Parameters replay exactly.</summary>
    public class FusionSearchTests
    {
        private static readonly string GroundTruthPath = FixtureRuns.DataPath("case-a", "gt.json");

        private static DetectionEnsemble CaseA()
        {
            var ensemble = new DetectionEnsemble();
            foreach (var file in FixtureRuns.ModelFiles("case-a"))
                foreach (var d in FixtureRuns.Read(file)) ensemble.Add(d);
            return ensemble;
        }

        private static SearchSpace Small(Action<SearchSpace> change = null)
        {
            var space = new SearchSpace
            {
                Methods = new[] { FusionMethod.WBF, FusionMethod.SoftNMS },
                IouThresholds = new[] { 0.5, 0.6 },
                SkipBoxThresholds = new[] { 0.0, 0.01 },
                ConfidenceTypes = new[] { ConfidenceType.Avg, ConfidenceType.BoxAndModelAvg },
                WeightValues = new[] { 0.0, 1, 2 },
            };
            change?.Invoke(space);
            return space;
        }

        /// <summary>Runs a search, noting after each trial how many had finished and how many were planned.</summary>
        private static (IReadOnlyList<FusionTrial> Ranked, List<(int Finished, int Planned)> Plan) Search(SearchSpace space, CocoGroundTruth imageInfo = null)
        {
            var gt = CocoGroundTruth.Load(GroundTruthPath);
            var search = new FusionSearch(CaseA(), gt, imageInfo, space);
            var plan = new List<(int, int)>();
            search.TrialCompleted = t => plan.Add((search.Trials.Count, search.PlannedTrials));
            return (search.Run(), plan);
        }

        private static readonly Dictionary<string, Action<SearchSpace>> Variants = new Dictionary<string, Action<SearchSpace>>
        {
            ["default methods, weights"] = s => s.Methods = new SearchSpace().Methods,
            ["no weight search"] = s => s.SearchWeights = false,
            ["NMS only"] = s => s.Methods = new[] { FusionMethod.NMS },
            ["SoftNMS only"] = s => s.Methods = new[] { FusionMethod.SoftNMS },
            ["capped by MaxTrials"] = s => s.MaxTrials = 7,
        };

        public static IEnumerable<object[]> Spaces() => Variants.Keys.Select(k => new object[] { k });

        [Theory]
        [MemberData(nameof(Spaces))]
        public void ThePlanOnlyShrinksAndEndsAtTheTrialsRun(string name)
        {
            var (ranked, plan) = Search(Small(Variants[name]));
            Assert.True(plan.Count > 0, name);
            for (int i = 0; i < plan.Count; i++)
            {
                Assert.True(plan[i].Planned >= plan[i].Finished, name + ": planned below finished at trial " + plan[i].Finished);
                if (i > 0) Assert.True(plan[i].Planned <= plan[i - 1].Planned, name + ": the plan grew at trial " + plan[i].Finished);
            }
            Assert.Equal(ranked.Count, plan[plan.Count - 1].Planned);
        }

        [Fact]
        public void ParametersHoldEveryFixedOptionAndReplayExactly()
        {
            var info = CocoGroundTruth.LoadImagesOnly(GroundTruthPath);
            var (ranked, _) = Search(Small(s =>
            {
                s.BaseOptions = new FusionOptions { MaxDetectionsPerImage = 7, ClassAgnostic = true, MinVotes = 2 };
                s.ImageInfoArgument = GroundTruthPath;
            }), info);
            var p = ranked[0].Parameters;
            Assert.Equal(7, p["MaxDetectionsPerImage"]);
            Assert.Equal(true, p["ClassAgnostic"]);
            Assert.Equal(2, p["MinVotes"]);
            Assert.Equal(GroundTruthPath, p["ImageInfo"]);
            foreach (var trial in ranked.Take(3).Concat(ranked.Where(t => t.Weights.Contains(0)).Take(1)))
                Assert.Equal(trial.Stats, Replay(trial.Parameters, info));
        }

        [Fact]
        public void AVotingRuleCountsTheModelsATrialKeeps()
        {
            // Consensus: at least half of the models with a positive weight, rounded up.
            var (ranked, _) = Search(Small(s => s.MinVotesForModels = models => (models + 1) / 2));
            var dropped = ranked.Where(t => t.Weights.Count(w => w > 0) == 2).ToList();
            Assert.NotEmpty(dropped);
            Assert.All(dropped, t => Assert.Equal(1, t.MinVotes));
            Assert.All(ranked.Where(t => t.Weights.All(w => w > 0)), t => Assert.Equal(2, t.MinVotes));
            foreach (var trial in ranked.Take(2).Concat(dropped.Take(1)))
                Assert.Equal(trial.Stats, Replay(trial.Parameters, null));
        }

        [Fact]
        public void MoreFoldsThanImagesIsAnErrorNamingBoth()
        {
            var gt = CocoGroundTruth.Load(GroundTruthPath);
            int images = gt.Images.Count;
            var e = Assert.Throws<ArgumentException>(() => new FusionSearch(CaseA(), gt, null, Small(s => s.Folds = images + 1)));
            Assert.Contains((images + 1) + " folds", e.Message);
            Assert.Contains("has " + images, e.Message);
        }

        [Fact]
        public void EqualScoresRankTrialsWithinZeroToOneFirst()
        {
            // A true box that model b finds twice and a false one model a is sure of (the Pester test explains the numbers).
            var ensemble = new DetectionEnsemble();
            foreach (var (model, score, x) in new[] { ("a", 0.5, 10.0), ("b", 0.95, 10), ("b", 0.95, 10), ("a", 1.0, 200), ("b", 0.75, 200), ("b", 0.75, 200) })
                ensemble.Add(new Detection(1L, 1, score, x, 10, 50, 50, model));
            var gt = new CocoGroundTruth(new[] { new CocoImage(1L, "1.jpg", 400, 400, 0) },
                new[] { new CocoAnnotation { Id = 1, ImageId = 1L, CategoryId = 1, X = 10, Y = 10, Width = 50, Height = 50, Area = 2500 } },
                new[] { new CocoCategory(1, "thing") });
            var space = new SearchSpace
            {
                Methods = new[] { FusionMethod.WBF }, IouThresholds = new[] { 0.5 }, SkipBoxThresholds = new[] { 0.0 },
                ConfidenceTypes = new[] { ConfidenceType.Avg, ConfidenceType.BoxAndModelAvg }, WeightValues = new[] { 1.0, 3 },
            };
            var search = new FusionSearch(ensemble, gt, null, space);
            var ranked = search.Run();
            var avg = ranked.Single(t => t.Options.ConfidenceType == ConfidenceType.Avg && t.IouThreshold == 0.5 && t.Weights.SequenceEqual(new[] { 1.0, 3 }));
            Assert.True(avg.ScoresAboveOne > 0);
            Assert.Equal(avg.Score, ranked[0].Score);
            Assert.Equal(ConfidenceType.BoxAndModelAvg, ranked[0].Options.ConfidenceType);
            Assert.Equal(0, ranked[0].ScoresAboveOne);
            Assert.Same(ranked[0], search.Best);
            Assert.True(FusionSearch.Compare(ranked[0], avg) < 0);
        }

        /// <summary>What Merge-Detection @p | Measure-Detection does, on the engine: the options from the hashtable only.</summary>
        private static double[] Replay(Hashtable p, CocoGroundTruth imageInfo)
        {
            var ensemble = CaseA();
            var o = new FusionOptions
            {
                Method = (FusionMethod)Enum.Parse(typeof(FusionMethod), (string)p["Method"]),
                IouThreshold = (double)p["IouThreshold"],
            };
            if (p.ContainsKey("SkipBoxThreshold")) o.SkipBoxThreshold = (double)p["SkipBoxThreshold"];
            if (p.ContainsKey("ConfidenceType")) o.ConfidenceType = (ConfidenceType)Enum.Parse(typeof(ConfidenceType), (string)p["ConfidenceType"]);
            if (p.ContainsKey("SoftNmsFunction")) o.SoftNmsFunction = (SoftNmsFunction)Enum.Parse(typeof(SoftNmsFunction), (string)p["SoftNmsFunction"]);
            if (p.ContainsKey("Sigma")) o.Sigma = (double)p["Sigma"];
            if (p.ContainsKey("ClassAgnostic")) o.ClassAgnostic = (bool)p["ClassAgnostic"];
            if (p.ContainsKey("MaxDetectionsPerImage")) o.MaxDetectionsPerImage = (int)p["MaxDetectionsPerImage"];
            if (p.ContainsKey("MinVotes")) o.MinVotes = (int)p["MinVotes"];
            double[] weights = null;
            if (p["Weight"] is Hashtable byModel) weights = ensemble.Models.Select(m => byModel.ContainsKey(m) ? (double)byModel[m] : 1).ToArray();
            double[] widths = null, heights = null;
            if (p.ContainsKey("ImageInfo"))
            {
                Assert.NotNull(imageInfo);
                widths = ensemble.ImageIds.Select(id => imageInfo.TryFindImage(id, out var image) ? image.Width : double.NaN).ToArray();
                heights = ensemble.ImageIds.Select(id => imageInfo.TryFindImage(id, out var image) ? image.Height : double.NaN).ToArray();
            }
            var fused = FusionEngine.FuseAll(ensemble, new FusionContext(o, ensemble.Models, weights), widths, heights).SelectMany(x => x).ToList();
            return CocoEvaluator.Evaluate(CocoGroundTruth.Load(GroundTruthPath), fused, new EvaluationOptions()).Stats.ToArray();
        }
    }
}
