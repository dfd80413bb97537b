using System;
using System.Globalization;

namespace BoxFusion.Json
{
    /// <summary>Why a results file could not be read as a whole.</summary>
    public enum ResultFileProblem
    {
        FileEmpty,
        NotJson,
        Truncated,
        NotAList,
        RecordNotAnObject,
        NonFiniteNumber,
        TrailingContent,
        RecordTooLarge,
        NestedTooDeep,
    }

    /// <summary>A results file that cannot be read; the message names the file, and the record and byte where it went wrong.</summary>
    public sealed class ResultFileException : Exception
    {
        public ResultFileException(ResultFileProblem problem, string path, long bytePosition, long recordIndex, string detail, Exception inner = null)
            : base(Format(path, bytePosition, recordIndex, detail), inner)
        {
            Problem = problem;
            FilePath = path;
            BytePosition = bytePosition;
            RecordIndex = recordIndex;
        }

        public ResultFileProblem Problem { get; }
        public string FilePath { get; }
        public long BytePosition { get; }
        /// <summary>Zero-based index of the record being read, or -1 when outside any record.</summary>
        public long RecordIndex { get; }

        private static string Format(string path, long byteposition, long record, string detail)
        {
            string where = record >= 0
                ? string.Format(CultureInfo.InvariantCulture, "record {0}, byte {1}", record, byteposition)
                : string.Format(CultureInfo.InvariantCulture, "byte {0}", byteposition);
            return string.Format(CultureInfo.InvariantCulture, "'{0}' ({1}): {2}", path, where, detail);
        }
    }
}
