using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Threading;
using BoxFusion.Fusion;

namespace BoxFusion.Commands
{
    /// <summary>
    /// How Merge-Detection -Path holds its input: in memory while it is small; above <see cref="HoldLimit"/>
    /// detections, files grouped by image are streamed side by side (flat memory); files that are not grouped
    /// are fused in memory. What it chose and why goes to -Verbose; a reading again to a warning.
    /// </summary>
    internal static class GroupedFiles
    {
        /// <summary>
        /// Detections held before grouped files are streamed instead: about 100 MB of held boxes. Below it one
        /// reading does; above it streaming reads the files twice (once to check their grouping) but memory stays flat.
        /// </summary>
        public const long DefaultHoldLimit = 1000000;

        /// <summary>The environment variable that sets another limit (a whole number of detections; 0 streams any grouped files).</summary>
        public const string HoldLimitVariable = "BOXFUSION_STREAM_THRESHOLD";

        public static long HoldLimit()
        {
            string text = Environment.GetEnvironmentVariable(HoldLimitVariable);
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long limit) ? limit : DefaultHoldLimit;
        }

        /// <summary>A file turned out not grouped after the detections were let go: read them again, with progress and a prompt stop.</summary>
        public static void ReadAgain(PSCmdlet cmdlet, EnsembleLayout layout, CancellationToken cancel)
        {
            cmdlet.WriteWarning(string.Format(CultureInfo.InvariantCulture,
                "{0}. Merge-Detection had let go of the {1} detections before it to stream the files, and reads them again to fuse in memory.{2}",
                layout.Break, layout.DetectionCount, layout.Break.IsMask ? "" : " Files that keep each image's records together are fused in flat memory."));
            var clock = Stopwatch.StartNew();
            long nextReport = 500;
            const string Activity = "Reading detections again";
            try
            {
                layout.ReadAgain((path, position, length) =>
                {
                    if (clock.ElapsedMilliseconds < nextReport) return;
                    nextReport = clock.ElapsedMilliseconds + 250;
                    var record = new ProgressRecord(3, Activity, Path.GetFileName(path));
                    if (length > 0) record.PercentComplete = (int)Math.Min(100, position * 100 / length);
                    cmdlet.WriteProgress(record);
                }, cancel);
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            catch (FileChangedException e)
            {
                cmdlet.ThrowTerminatingError(Changed(e));
            }
            if (nextReport > 500) cmdlet.WriteProgress(new ProgressRecord(3, Activity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        /// <summary>Says (with -Verbose) whether the detections are fused in memory or streamed, and why.</summary>
        public static void DescribeWay(PSCmdlet cmdlet, EnsembleLayout layout)
        {
            string message;
            switch (layout.State)
            {
                case LayoutState.Streaming:
                    message = string.Format(CultureInfo.InvariantCulture,
                        "Every file keeps each image's records together and they have more than {0} detections: fusing by reading the files again side by side, holding only the images in flight.",
                        layout.HoldLimit);
                    break;
                case LayoutState.InMemory:
                    message = layout.Break + ": fusing in memory.";
                    break;
                default:
                    message = string.Format(CultureInfo.InvariantCulture,
                        "Fusing in memory: {0} detections (up to {1} are held; beyond, files grouped by image are streamed).", layout.DetectionCount, layout.HoldLimit);
                    break;
            }
            cmdlet.WriteVerbose(message);
        }

        public static void DescribeStreaming(PSCmdlet cmdlet, StreamingFusion streaming) =>
            cmdlet.WriteVerbose(string.Format(CultureInfo.InvariantCulture,
                "Streamed {0} images; at most {1} runs of records waited in memory for their image's turn (images an earlier file lacks wait until that file's images are done).",
                streaming.ImageIds.Count, streaming.PeakWaitingRuns));

        public static ErrorRecord Changed(FileChangedException e) =>
            Errors.Create("ResultFileChanged", ErrorCategory.ReadError, e.Path, e.Message + " Merge-Detection reads a file twice when it streams it; run it again once the file is complete.", e);
    }
}
