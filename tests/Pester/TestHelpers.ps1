# Shared by the Pester tests: import the built module as a user would, and compare detection sets.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModulePath = if ($env:BOXFUSION_MODULE) { $env:BOXFUSION_MODULE } else { Join-Path $script:RepoRoot 'out/BoxFusion' }
$script:DataRoot = Join-Path $script:RepoRoot 'tests/data'
# The sample ensemble (tests/data/sample): its folder, its ground truth and the three models' files, in this order.
$script:SampleFolder = Join-Path $script:DataRoot 'sample'
$script:SampleTruth = Join-Path $script:SampleFolder 'gt.json'
$script:SampleModels = @('yolox', 'cascade', 'detr' | ForEach-Object { Join-Path $script:SampleFolder "$_.json" })

# The command line of the pwsh running the tests (dotnet + pwsh.dll when started as a dotnet tool).
function Get-PwshCommandLine {
    $exe = [Environment]::ProcessPath
    if ((Split-Path $exe -Leaf) -match '^dotnet(\.exe)?$') { return @($exe, (Join-Path $PSHOME 'pwsh.dll')) }
    @($exe)
}

function Import-ModuleUnderTest {
    Import-Module $script:ModulePath -Force -ErrorAction Stop
}

# The synthetic ensemble generator (BoxFusion.Synthetic.EnsembleGenerator) is test code, not part of the module:
# build.ps1 -Task Test builds it to out/tools (or BOXFUSION_TOOLS names the folder). Loaded after the module, so
# its reference to BoxFusion.Engine binds to the engine the module loaded.
$script:ToolsPath = if ($env:BOXFUSION_TOOLS) { $env:BOXFUSION_TOOLS } else { Join-Path $script:RepoRoot 'out/tools' }
function Import-SyntheticGenerator {
    if (-not ('BoxFusion.Detection' -as [type])) { Import-ModuleUnderTest }
    $dll = Join-Path $script:ToolsPath 'BoxFusion.Synthetic.dll'
    if (-not (Test-Path $dll)) { throw "$dll is missing: build it with ./build.ps1 -Task Test (or dotnet build tests/BoxFusion.Synthetic -o out/tools)." }
    Add-Type -Path $dll
}

# ensemble-boxes' runs in a manifest, as Merge-Detection parameters.
function Get-FixtureRun([string] $Fixture, [string] $Name) {
    $manifest = Get-Content (Join-Path $script:DataRoot "$Fixture/manifest.json") -Raw | ConvertFrom-Json
    $run = $manifest.runs | Where-Object name -EQ $Name
    $methods = @{ wbf = 'WBF'; nms = 'NMS'; soft_nms = 'SoftNMS'; nmw = 'NMW' }
    $p = @{ Method = $methods[$run.method] }
    $names = $run.PSObject.Properties.Name
    if ('iou' -in $names) { $p.IouThreshold = $run.iou }
    if ('skip' -in $names) { $p.SkipBoxThreshold = $run.skip }
    if ('weights' -in $names) { $p.Weight = [double[]]$run.weights }
    if ('sigma' -in $names) { $p.Sigma = $run.sigma }
    if ('thresh' -in $names) { $p.ScoreThreshold = $run.thresh }
    if ('softMethod' -in $names) { $p.SoftNmsFunction = if ($run.softMethod -eq 1) { 'Linear' } else { 'Gaussian' } }
    if ('allowsOverflow' -in $names -and $run.allowsOverflow) { $p.AllowOverflow = $true }
    if ('maskThreshold' -in $names) { $p.MaskThreshold = $run.maskThreshold }
    if ('confType' -in $names) {
        $p.ConfidenceType = @{ avg = 'Avg'; max = 'Max'; box_and_model_avg = 'BoxAndModelAvg'; absent_model_aware_avg = 'AbsentModelAwareAvg' }[$run.confType]
    }
    [pscustomobject]@{
        Parameters = $p
        Expected   = Join-Path $script:DataRoot "$Fixture/$($run.expected)"
        Models     = @($manifest.models | ForEach-Object { Join-Path $script:DataRoot "$Fixture/$($_.file)" })
        GroundTruth = Join-Path $script:DataRoot "$Fixture/gt.json"
        BoxesOut   = $run.boxesOut
        CocoStats  = $run.cocoStats
    }
}

function Get-FixtureRunName([string] $Fixture, [string] $Method) {
    $manifest = Get-Content (Join-Path $script:DataRoot "$Fixture/manifest.json") -Raw | ConvertFrom-Json
    $manifest.runs | Where-Object { -not $Method -or $_.method -eq $Method } | ForEach-Object name
}

# Each image's boxes compared as sets: same count; each expected box matched by one of the same
# category with coordinates within 1e-3 px and score within 1e-6. Returns the problems found.
function Compare-DetectionSet($Expected, $Actual) {
    $problems = [System.Collections.Generic.List[string]]::new()
    $actualByImage = @{}
    foreach ($d in $Actual) {
        $key = "$($d.ImageId)"
        if (-not $actualByImage.ContainsKey($key)) { $actualByImage[$key] = [System.Collections.Generic.List[object]]::new() }
        $actualByImage[$key].Add($d)
    }
    foreach ($group in ($Expected | Group-Object { "$($_.ImageId)" })) {
        $pool = [System.Collections.Generic.List[object]]::new()
        if ($actualByImage.ContainsKey($group.Name)) { $pool.AddRange($actualByImage[$group.Name]) }
        $actualByImage.Remove($group.Name)
        if ($pool.Count -ne $group.Count) { $problems.Add("image $($group.Name): expected $($group.Count) boxes, got $($pool.Count)") }
        foreach ($e in $group.Group) {
            $match = -1
            for ($i = 0; $i -lt $pool.Count; $i++) {
                $a = $pool[$i]
                if ($a.CategoryId -eq $e.CategoryId -and [math]::Abs($a.Score - $e.Score) -le 1e-6 -and
                    [math]::Abs($a.X - $e.X) -le 1e-3 -and [math]::Abs($a.Y - $e.Y) -le 1e-3 -and
                    [math]::Abs($a.Right - $e.Right) -le 1e-3 -and [math]::Abs($a.Bottom - $e.Bottom) -le 1e-3) { $match = $i; break }
            }
            if ($match -lt 0) { $problems.Add("image $($group.Name): no match for $e") } else { $pool.RemoveAt($match) }
        }
    }
    foreach ($rest in $actualByImage.GetEnumerator()) { $problems.Add("image $($rest.Key): $($rest.Value.Count) unexpected boxes") }
    , $problems
}

function New-TestFolder {
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) ("boxfusion-test-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory $dir | Select-Object -ExpandProperty FullName
}

# Writes a file in $Folder, under -Name (its folders made as needed) or a new numbered name: -Text as UTF-8 without
# a BOM, or -Bytes as they are. Returns its full path.
$script:TestFileNumber = 0
function New-TestFile([string] $Folder, [string] $Text, [byte[]] $Bytes, [string] $Name, [string] $Extension = '.json') {
    if (-not $Name) { $script:TestFileNumber++; $Name = "file$($script:TestFileNumber)$Extension" }
    $path = Join-Path $Folder $Name
    $null = New-Item -ItemType Directory -Force (Split-Path $path)
    if ($PSBoundParameters.ContainsKey('Bytes')) { [System.IO.File]::WriteAllBytes($path, $Bytes) }
    else { [System.IO.File]::WriteAllText($path, $Text, [System.Text.UTF8Encoding]::new($false)) }
    $path
}

# The errors a command writes, with no stack trace in any message.
function Assert-NoStackTrace($Records) {
    foreach ($r in $Records) { "$r" | Should -Not -Match '\s+at \S+\(|Exception:|--- End of' }
}

# Exactly one error, with this id (as FullyQualifiedErrorId), category and target.
function Assert-SingleError($Errors, [string] $Id, [string] $Category, $Target) {
    @($Errors).Count | Should -Be 1
    $Errors[0].FullyQualifiedErrorId | Should -Be $Id
    $Errors[0].CategoryInfo.Category | Should -Be $Category
    $Errors[0].TargetObject | Should -Be $Target
}

# The 12 COCO statistics, each within 1e-12 of pycocotools'.
function Assert-Stats([double[]] $Actual, [double[]] $Expected) {
    $Actual.Count | Should -Be 12
    for ($i = 0; $i -lt 12; $i++) {
        [math]::Abs($Actual[$i] - $Expected[$i]) | Should -BeLessOrEqual 1e-12 -Because "stat $i is $($Actual[$i]), pycocotools says $($Expected[$i])"
    }
}

# What tab completion offers at the end of a command line.
function Complete([string] $line) {
    (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
}
