using System;
using System.Management.Automation;
using System.Threading;

namespace BoxFusion.Commands
{
    /// <summary>
    /// The input side shared by the cmdlets that consume detections: from the pipeline (-InputObject) or read
    /// from COCO results files (-Path with wildcards, -LiteralPath), one model per file (named by -Model or by default).
    /// </summary>
    public abstract class DetectionInputCommand : PSCmdlet, IDisposable
    {
        protected const string InputSet = "InputObject";
        protected const string PathSet = "Path";
        protected const string LiteralPathSet = "LiteralPath";
        private ResultFileImport import;
        private long inputCount;
        private readonly CancellationTokenSource cancellation = new CancellationTokenSource();

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
        [AllowNull]
        public Detection InputObject { get; set; }

        /// <summary>COCO results files to read directly, one model per file (faster than piping Import-Detection).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; }

        /// <summary>Model names for -Path/-LiteralPath files: one per file in order, or one for all. Default: see <see cref="ModelNames"/>.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [ValidateNotNullOrEmpty]
        public string[] Model { get; set; }

        /// <summary>Cancelled on Ctrl+C (<see cref="StopProcessing"/>): the token for the engine's work on other threads.</summary>
        protected CancellationTokenSource Cancellation => cancellation;

        /// <summary>Files parsed at once for -Path (0: one per core); the records still arrive in file order.</summary>
        protected virtual int ReadThreads => 0;

        /// <summary>Takes one detection (with an image id) from the pipeline or a file.</summary>
        protected abstract void Accept(Detection detection);

        /// <summary>
        /// For -Path files: a cmdlet that copies records as values (no Detection object per record) returns a taker of
        /// blocks of values here (it must not keep a block: its arrays serve again); null: records go to <see cref="Accept"/>.
        /// </summary>
        protected virtual Action<BoxFusion.Json.RecordBlock> BlockTaker => null;

        /// <summary>Called before a -Path file's records go to <see cref="Accept"/>, with the model name they carry.</summary>
        protected virtual void BeginFile(string path, string model) { }

        protected override void BeginProcessing() => import = new ResultFileImport(this, 1);

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputSet)
            {
                if (InputObject == null) return;
                long input = inputCount++;
                if (InputObject.ImageId == null)
                {
                    WriteError(Errors.Create("DetectionWithoutImageId", ErrorCategory.InvalidData, InputObject, "A detection without an image id cannot be used: " + InputObject));
                    return;
                }
                // Objects can be made or changed by hand ($d.X = 1e308): the same rules as a file's records.
                if (DetectionRules.Problem(InputObject, out _) is string problem)
                {
                    WriteError(Errors.Create("InvalidDetection", ErrorCategory.InvalidData, InputObject, string.Format(System.Globalization.CultureInfo.InvariantCulture,
                        "Input {0} (image {1}{2}): {3}; the detection was left out.", input, ImageIds.Describe(InputObject.ImageId),
                        string.IsNullOrEmpty(InputObject.Model) ? "" : ", model " + InputObject.Model, problem)));
                    return;
                }
                Accept(InputObject);
                return;
            }
            bool literal = ParameterSetName == LiteralPathSet;
            var files = PathResolver.ResolveExisting(this, literal ? LiteralPath : Path, literal);
            var names = ModelNaming.NamesFor(this, files, Model);
            var takeBlock = BlockTaker;
            if (takeBlock != null) import.ReadValueBlocks(files, names, ReadThreads, takeBlock, BeginFile);
            else import.Read(files, names, ReadThreads, Accept, BeginFile);
            import.Complete();
        }

        protected override void StopProcessing()
        {
            import?.Stop();
            try { cancellation.Cancel(); }
            catch (ObjectDisposedException) { } // Ctrl+C just as the pipeline ended and disposed the cmdlet
        }

        public void Dispose()
        {
            cancellation.Dispose();
            import?.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
