using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using BoxFusion.Json;

namespace BoxFusion.Commands
{
    /// <summary>
    /// Reads COCO results files for a cmdlet: progress while reading, one ErrorRecord per bad file,
    /// one ErrorRecord per kind of skipped record (with a count), and prompt stops.
    /// </summary>
    internal sealed class ResultFileImport
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

        public volatile bool Stopping;

        /// <summary>
        /// Reads one file, handing each good detection to <paramref name="accept"/>. Returns false if the file failed.
        /// A file that cannot be read is one non-terminating error (ResultFile&lt;Problem&gt;, after the records before the
        /// fault have been passed on); records skipped for a problem are one non-terminating error per kind of problem
        /// (SkippedRecords&lt;Problem&gt;, with the count and the first record), so -ErrorAction Stop makes either terminating.
        /// </summary>
        public bool Read(string path, string model, Action<Detection> accept, int fileNumber = 1, int fileCount = 1)
        {
            CocoResultReader reader = null;
            try
            {
                using (reader = new CocoResultReader(path, model))
                {
                    long length = reader.Length;
                    // Parsing runs on a worker while this thread passes records on.
                    foreach (var batch in BackgroundReading.ReadBatches(reader))
                    {
                        foreach (var detection in batch) accept(detection);
                        if (Stopping) throw new PipelineStoppedException();
                        Report(path, reader.Position, length, fileNumber, fileCount);
                    }
                }
                ReportSkipped(reader, path);
                if (reader.ScoresAboveOne > 0)
                {
                    cmdlet.WriteWarning(string.Format(CultureInfo.InvariantCulture,
                        "'{0}': {1} record{2} {3} a score above 1 (first: record {4}); they were kept. Fused WBF output with -ConfidenceType Avg and unequal weights, or -AllowOverflow, has such scores.",
                        path, reader.ScoresAboveOne, reader.ScoresAboveOne == 1 ? "" : "s", reader.ScoresAboveOne == 1 ? "has" : "have", reader.FirstScoreAboveOne));
                }
                cmdlet.WriteVerbose(string.Format(CultureInfo.InvariantCulture,
                    "Read {0} records from '{1}' as model '{2}' ({3} skipped).", reader.RecordCount, path, model, reader.Skipped.Total));
                return true;
            }
            catch (ResultFileException e)
            {
                cmdlet.WriteError(Errors.Create("ResultFile" + e.Problem, ErrorCategory.InvalidData, path, e.Message, e));
                ReportSkipped(reader, path);
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
            return false;
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

        public void Complete()
        {
            if (lastReport < 0) return;
            cmdlet.WriteProgress(new ProgressRecord(activityId, "Reading detections", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
