using System;
using System.Diagnostics;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Threading;
using BoxFusion.Json;

namespace BoxFusion.Commands
{
    /// <summary>
    /// Reads COCO results files for a cmdlet: progress while reading, one ErrorRecord per bad file,
    /// one ErrorRecord per kind of skipped record (with a count), and prompt stops.
    /// </summary>
    internal sealed class ResultFileImport : IDisposable
    {
        private readonly PSCmdlet cmdlet;
        private readonly int activityId;
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private long lastReport = -1;

        public ResultFileImport(PSCmdlet cmdlet, int activityId)
        {
            this.cmdlet = cmdlet;
            this.activityId = activityId;
        }

        private readonly CancellationTokenSource stop = new CancellationTokenSource();

        public bool Stopping { get; private set; }

        /// <summary>Ctrl+C (StopProcessing, on another thread): the reading workers stop and the pipeline thread stops at its next block.</summary>
        public void Stop()
        {
            Stopping = true;
            try { stop.Cancel(); }
            catch (ObjectDisposedException) { }
        }

        /// <summary>
        /// Reads the files, parsing up to <paramref name="threads"/> of them at once (0: one per core), and hands each
        /// good detection to <paramref name="accept"/> on this thread, file after file in order, exactly as reading them
        /// one by one would (<see cref="ParallelFileReading"/>); <paramref name="beginFile"/> is called before a file's records.
        /// With <paramref name="acceptBlock"/>, the records go to it instead, as blocks of values (no object per record;
        /// it copies what it keeps, as the block's arrays serve again), and <paramref name="accept"/> is not called.
        /// A file that cannot be read is one non-terminating error (ResultFile&lt;Problem&gt;, after the records before the
        /// fault have been passed on); records skipped for a problem are one non-terminating error per kind of problem
        /// (SkippedRecords&lt;Problem&gt;, with the count and the first record), so -ErrorAction Stop makes either terminating.
        /// </summary>
        public void Read(IReadOnlyList<string> paths, IReadOnlyList<string> models, int threads, Action<Detection> accept, Action<string, string> beginFile = null) =>
            Read(paths, models, threads, true, block =>
            {
                var detections = block.Detections;
                for (int i = 0; i < block.Count; i++) accept(detections[i]);
            }, beginFile);

        /// <summary>
        /// As <see cref="Read(IReadOnlyList{string}, IReadOnlyList{string}, int, Action{Detection}, Action{string, string})"/>,
        /// handing over blocks of values (no object per record) for a consumer in the engine to copy; a block's arrays serve
        /// again once <paramref name="accept"/> returns.
        /// </summary>
        public void ReadValueBlocks(IReadOnlyList<string> paths, IReadOnlyList<string> models, int threads, Action<RecordBlock> accept, Action<string, string> beginFile = null) =>
            Read(paths, models, threads, false, accept, beginFile);

        private void Read(IReadOnlyList<string> paths, IReadOnlyList<string> models, int threads, bool detections, Action<RecordBlock> accept, Action<string, string> beginFile)
        {
            if (paths.Count == 0) return;
            try
            {
                using (var reading = new ParallelFileReading(paths, models, threads, detections, cancel: stop.Token))
                {
                    for (int i = 0; i < paths.Count; i++)
                    {
                        beginFile?.Invoke(paths[i], models[i]);
                        Read(reading, i, paths[i], models[i], accept, paths.Count);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
        }

        private void Read(ParallelFileReading reading, int index, string path, string model, Action<RecordBlock> accept, int fileCount)
        {
            CocoResultReader reader = null;
            try
            {
                foreach (var block in reading.ReadFile(index))
                {
                    accept(block);
                    if (Stopping) throw new PipelineStoppedException();
                    Report(path, block.Position, block.Length, index + 1, fileCount);
                }
                reader = reading.Reader(index);
                ReportSkipped(reader, path);
                if (reader.ScoresAboveOne > 0)
                {
                    cmdlet.WriteWarning(string.Format(CultureInfo.InvariantCulture,
                        "'{0}': {1} record{2} {3} a score above 1 (first: record {4}); they were kept. Fused WBF output with -ConfidenceType Avg and unequal weights, or -AllowOverflow, has such scores.",
                        path, reader.ScoresAboveOne, reader.ScoresAboveOne == 1 ? "" : "s", reader.ScoresAboveOne == 1 ? "has" : "have", reader.FirstScoreAboveOne));
                }
                cmdlet.WriteVerbose(string.Format(CultureInfo.InvariantCulture,
                    "Read {0} records from '{1}' as model '{2}' ({3} skipped).", reader.RecordCount, path, model, reader.Skipped.Total));
            }
            catch (ResultFileException e)
            {
                cmdlet.WriteError(Errors.Create("ResultFile" + e.Problem, ErrorCategory.InvalidData, path, e.Message, e));
                ReportSkipped(reading.Reader(index), path);
            }
            catch (UnauthorizedAccessException e)
            {
                cmdlet.WriteError(Errors.Create("FileAccessDenied", ErrorCategory.PermissionDenied, path, "Cannot read '" + path + "': " + e.Message, e));
            }
            catch (FileNotFoundException)
            {
                cmdlet.WriteError(Errors.FileNotFound(path));
            }
            catch (IOException e)
            {
                cmdlet.WriteError(Errors.Create("FileReadFailed", ErrorCategory.ReadError, path, "Cannot read '" + path + "': " + e.Message, e));
            }
        }

        /// <summary>One error per kind of skipped record: "'f.json': 3 records skipped (MissingField); first: record 12: no 'score'".</summary>
        private void ReportSkipped(CocoResultReader reader, string path)
        {
            if (reader == null) return;
            foreach (var (problem, message) in reader.Skipped.Messages(path))
                cmdlet.WriteError(Errors.Create("SkippedRecords" + problem, ErrorCategory.InvalidData, path, message));
        }

        private void Report(string path, long position, long length, int fileNumber, int fileCount)
        {
            long now = clock.ElapsedMilliseconds;
            if (now < 500 || now - lastReport < 250) return;
            lastReport = now;
            var record = new ProgressRecord(activityId, "Reading detections",
                string.Format(System.Globalization.CultureInfo.InvariantCulture, "File {0} of {1}: {2}", fileNumber, fileCount, Path.GetFileName(path)));
            if (length > 0) record.PercentComplete = (int)Math.Min(100, position * 100 / length);
            cmdlet.WriteProgress(record);
        }

        public void Dispose() => stop.Dispose();

        public void Complete()
        {
            if (lastReport < 0) return;
            cmdlet.WriteProgress(new ProgressRecord(activityId, "Reading detections", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
