namespace BoxFusion.Tests
{
    /// <summary>Every run of case-a and case-b, through the engine, against ensemble-boxes 1.0.9's outputs.</summary>
    public class FusionParityTests
    {
        public static System.Collections.Generic.IEnumerable<object[]> Runs => FixtureRuns.All();

        [Theory]
        [MemberData(nameof(Runs))]
        public void MatchesReference(string fixture, string run)
        {
            var (options, weights, expectedPath) = FixtureRuns.Run(fixture, run);
            var expected = FixtureRuns.Read(expectedPath);
            var actual = FixtureRuns.Fuse(fixture, options, weights);
            var problems = FixtureRuns.Compare(expected, actual);
            Assert.True(problems.Count == 0, $"{fixture}/{run}: {problems.Count} problems:\n" + string.Join("\n", problems.Take(10)));
        }
    }
}
