using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace BoxFusion.Json
{
    /// <summary>
    /// Streams a COCO results file (a JSON list of {image_id, category_id, bbox, score}) into detections,
    /// with Utf8JsonReader over a refilled buffer: memory stays flat whatever the file size.
    /// A malformed file throws <see cref="ResultFileException"/>; a malformed record is skipped and counted in <see cref="Skipped"/>.
    /// </summary>
    public sealed partial class CocoResultReader : IDisposable
    {
        private const int InitialBufferSize = 1 << 20;
        /// <summary>The buffer grows to hold one whole record; a record larger than this fails the file (<see cref="ResultFileProblem.RecordTooLarge"/>).</summary>
        public const int MaxRecordBytes = 1 << 28;
        private readonly int maxBufferSize;
        private readonly Stream stream;
        private readonly bool ownsStream;
        private byte[] buffer;
        private int start, end;
        private long bufferOffset;
        private bool eof, begun, finished;
        private JsonReaderState state = JsonLimits.NewState();
        private long recordIndex;
        private readonly RecordParser record;

        public CocoResultReader(string path, string model)
            : this(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan), path, model, ownsStream: true)
        {
        }

        public CocoResultReader(Stream stream, string displayPath, string model, bool ownsStream = false)
            : this(stream, displayPath, model, ownsStream, InitialBufferSize, MaxRecordBytes)
        {
        }

        /// <summary>With a chosen initial and largest buffer size (tests use tiny buffers to exercise refills).</summary>
        public CocoResultReader(Stream stream, string displayPath, string model, bool ownsStream, int bufferSize, int maxRecordBytes)
        {
            this.stream = stream ?? throw new ArgumentNullException(nameof(stream));
            if (bufferSize < 16) throw new ArgumentOutOfRangeException(nameof(bufferSize));
            if (maxRecordBytes < bufferSize) throw new ArgumentOutOfRangeException(nameof(maxRecordBytes));
            buffer = new byte[bufferSize];
            maxBufferSize = maxRecordBytes;
            this.ownsStream = ownsStream;
            Path = displayPath;
            Model = model;
            record = new RecordParser(model);
        }

        public string Path { get; }
        public string Model { get; }
        public SkippedRecords Skipped { get; } = new SkippedRecords();
        /// <summary>Records kept although their score is above 1 (fused output of WBF with overflow does that).</summary>
        public long ScoresAboveOne => record.ScoresAboveOne;
        public long FirstScoreAboveOne => record.FirstScoreAboveOne;
        /// <summary>Records seen so far, good or skipped.</summary>
        public long RecordCount => recordIndex;
        /// <summary>Bytes of the file consumed so far (for progress).</summary>
        public long Position => bufferOffset + start;
        public long Length => stream.CanSeek ? stream.Length : -1;

        /// <summary>Reads every good record of the file.</summary>
        public IEnumerable<Detection> ReadAll()
        {
            while (TryRead(out var d)) yield return d;
        }

        public bool TryRead(out Detection detection)
        {
            if (TryReadValues(out RecordValues values))
            {
                detection = record.Create(values);
                return true;
            }
            detection = null;
            return false;
        }

        /// <summary>The next good record as values, for readers that keep no object per record.</summary>
        internal bool TryReadValues(out RecordValues values)
        {
            while (!finished)
            {
                switch (Step(out values))
                {
                    case StepResult.Record: return true;
                    case StepResult.NeedMore: Fill(); break;
                    case StepResult.EndOfList: finished = true; CheckNothingFollows(); break;
                }
            }
            values = default;
            return false;
        }

        private enum StepResult { Record, Skipped, Progress, NeedMore, EndOfList }

        /// <summary>Whether the next record needs a comma first: the fast path tracks this instead of a JsonReaderState.</summary>
        private bool afterRecord;

        // Reader states for resuming Utf8JsonReader mid-list: just after '[' and just after a record.
        private static readonly JsonReaderState AfterOpenState = StateAfter("[");
        private static readonly JsonReaderState AfterRecordState = StateAfter("[{}");

        private static JsonReaderState StateAfter(string prefix)
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.ASCII.GetBytes(prefix), isFinalBlock: false, state: JsonLimits.NewState());
            while (reader.Read()) { }
            return reader.CurrentState;
        }

        private StepResult Step(out RecordValues values)
        {
            values = default;
            if (!begun && end == start && !eof) return StepResult.NeedMore;
            if (!begun) SkipByteOrderMark();
            if (begun)
            {
                // Fast path for the usual record; anything unusual falls through to Utf8JsonReader, resumed in the same place.
                var fast = FastRecordParser.TryParse(buffer, start, end, afterRecord, record, out values, out int next);
                if (fast == FastRecordParser.Result.Parsed)
                {
                    start = next;
                    afterRecord = true;
                    recordIndex++;
                    return StepResult.Record;
                }
                if (fast == FastRecordParser.Result.NeedMore && !eof) return StepResult.NeedMore;
                state = afterRecord ? AfterRecordState : AfterOpenState;
            }
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(buffer, start, end - start), eof, state);
            try
            {
                if (!reader.Read()) return NeedMoreOrFail(ref reader);
                if (!begun)
                {
                    if (reader.TokenType == JsonTokenType.StartObject) throw NotAList("a JSON object", reader);
                    if (reader.TokenType != JsonTokenType.StartArray)
                        throw NotAList("a single " + reader.TokenType + " value", reader);
                    begun = true;
                    Commit(ref reader);
                    return StepResult.Progress;
                }
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    Commit(ref reader);
                    return StepResult.EndOfList;
                }
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new ResultFileException(ResultFileProblem.RecordNotAnObject, Path, TokenPosition(ref reader), recordIndex,
                        "a record must be a JSON object {\"image_id\", \"category_id\", \"bbox\", \"score\"}; found " + Describe(reader.TokenType) + ".");
                }
                var outcome = record.Parse(ref reader, recordIndex, Skipped, out values);
                if (outcome == RecordParser.Outcome.NeedMore) return NeedMoreOrFail(ref reader);
                Commit(ref reader);
                afterRecord = true;
                recordIndex++;
                return outcome == RecordParser.Outcome.Good ? StepResult.Record : StepResult.Skipped;
            }
            catch (JsonException e)
            {
                throw Malformed(e, reader.BytesConsumed, reader.CurrentDepth);
            }
            catch (InvalidOperationException e)
            {
                // Utf8JsonReader checks a string's UTF-8 and \u escapes only when it is decoded (GetString, ValueTextEquals).
                throw new ResultFileException(ResultFileProblem.NotJson, Path, TokenPosition(ref reader), begun ? recordIndex : -1,
                    "a string is not valid UTF-8 text or holds an invalid \\u escape (" + e.Message + "); JSON files must be UTF-8.", e);
            }
        }

        private StepResult NeedMoreOrFail(ref Utf8JsonReader reader)
        {
            if (!eof) return StepResult.NeedMore;
            if (!begun && IsWhitespace(start, end)) throw Empty();
            throw Truncated(null);
        }

        private void Commit(ref Utf8JsonReader reader)
        {
            start += (int)reader.BytesConsumed;
            state = reader.CurrentState;
        }

        private void SkipByteOrderMark()
        {
            if (bufferOffset == 0 && start == 0 && end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF) start = 3;
        }

        /// <summary>Moves the unread tail to the front (growing the buffer if one record fills it) and reads more.</summary>
        private void Fill()
        {
            if (eof) return;
            if (start == 0 && end == buffer.Length && buffer.Length >= maxBufferSize)
            {
                throw new ResultFileException(ResultFileProblem.RecordTooLarge, Path, bufferOffset + start, begun ? recordIndex : -1, string.Format(
                    System.Globalization.CultureInfo.InvariantCulture,
                    "one {0} is larger than {1}; a results record is a few hundred bytes (is this a results file?).",
                    begun ? "record" : "value", maxBufferSize >= 1 << 20 ? (maxBufferSize >> 20) + " MB" : maxBufferSize + " bytes"));
            }
            eof = !StreamBuffer.Refill(stream, ref buffer, ref start, ref end, ref bufferOffset, maxBufferSize);
        }

        public void Dispose()
        {
            if (ownsStream) stream.Dispose();
        }
    }
}
