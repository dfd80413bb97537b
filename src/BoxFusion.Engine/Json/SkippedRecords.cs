using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace BoxFusion.Json
{
    /// <summary>Reasons a single record is skipped while the rest of its file is read.</summary>
    public enum RecordProblem
    {
        MissingField,
        WrongType,
        BadBox,
        NonFiniteNumber,
        NegativeSize,
        ScoreOutOfRange,
        DuplicateKey,
        /// <summary>A score, coordinate or size beyond <see cref="DetectionRules.MaxMagnitude"/>.</summary>
        OutOfRange,
        /// <summary>The segmentation is not an RLE object or a list of polygons, or its size is not [height, width].</summary>
        BadMask,
        /// <summary>The run lengths of an RLE segmentation do not add up to height·width.</summary>
        MaskCountsMismatch,
        /// <summary>A compressed RLE string is broken.</summary>
        MaskStringInvalid,
        /// <summary>A polygon has an odd number of coordinates.</summary>
        PolygonOddCoordinates,
        /// <summary>A polygon has fewer than 3 points.</summary>
        PolygonTooFewPoints,
    }

    /// <summary>Counts skipped records per reason and keeps the first example of each, for one warning per reason.</summary>
    public sealed class SkippedRecords
    {
        private readonly Dictionary<RecordProblem, (long Count, long FirstRecord, string FirstDetail)> tally =
            new Dictionary<RecordProblem, (long, long, string)>();

        public long Total { get; private set; }

        public void Add(RecordProblem problem, long record, string detail)
        {
            Total++;
            if (tally.TryGetValue(problem, out var t)) tally[problem] = (t.Count + 1, t.FirstRecord, t.FirstDetail);
            else tally[problem] = (1, record, detail);
        }

        public IEnumerable<(RecordProblem Problem, long Count, long FirstRecord, string FirstDetail)> Entries =>
            tally.OrderBy(p => p.Key).Select(p => (p.Key, p.Value.Count, p.Value.FirstRecord, p.Value.FirstDetail));

        /// <summary>Each reason with its line, for one error per reason: "'f.json': 3 records skipped (MissingField); first: record 12: no 'score'".</summary>
        public IEnumerable<(RecordProblem Problem, string Message)> Messages(string path) => Entries.Select(e => (e.Problem, string.Format(CultureInfo.InvariantCulture,
            "'{0}': {1} record{2} skipped ({3}); first: record {4}: {5}.",
            path, e.Count, e.Count == 1 ? "" : "s", e.Problem, e.FirstRecord, e.FirstDetail)));
    }
}
