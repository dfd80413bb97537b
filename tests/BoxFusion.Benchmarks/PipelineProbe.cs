using System;
using System.Management.Automation;

namespace BoxFusion.Benchmarks
{
    /// <summary>
    /// Writes the given detections to the pipeline one by one, as Import-Detection does, or with -Batch in arrays of
    /// that size with WriteObject(batch, enumerateCollection: true), as Merge-Detection writes each image's fused
    /// detections. With <see cref="ReceiveBenchDetectionCommand"/>, what one pipeline step costs PowerShell.
    /// </summary>
    [Cmdlet(VerbsCommunications.Send, "BenchDetection")]
    public sealed class SendBenchDetectionCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public Detection[] InputObject { get; set; }

        [Parameter]
        public int Batch { get; set; }

        protected override void ProcessRecord()
        {
            if (Batch <= 1)
            {
                foreach (var d in InputObject) WriteObject(d);
                return;
            }
            for (int i = 0; i < InputObject.Length; i += Batch)
            {
                var batch = new Detection[Math.Min(Batch, InputObject.Length - i)];
                Array.Copy(InputObject, i, batch, 0, batch.Length);
                WriteObject(batch, true);
            }
        }
    }

    /// <summary>Takes detections from the pipeline and only counts them; bound like Merge-Detection's -InputObject.</summary>
    [Cmdlet(VerbsCommunications.Receive, "BenchDetection", DefaultParameterSetName = "InputObject")]
    public sealed class ReceiveBenchDetectionCommand : PSCmdlet
    {
        /// <summary>Detections the last run received.</summary>
        public static long Received { get; private set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        [AllowNull]
        public Detection InputObject { get; set; }

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path")]
        public string[] Path { get; set; }

        protected override void BeginProcessing() { Received = 0; }

        protected override void ProcessRecord()
        {
            if (InputObject != null) Received++;
        }
    }
}
