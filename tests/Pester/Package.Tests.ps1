# The module as a gallery package: the manifest's metadata, the changelog it follows, the PowerShell versions it
# claims, and a real install from a temporary local PSResourceGet repository into a fresh pwsh.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Manifest = Import-PowerShellDataFile (Join-Path $RepoRoot 'BoxFusion.psd1')
    $script:BuiltManifest = Import-PowerShellDataFile (Join-Path $ModulePath 'BoxFusion.psd1')
    $script:PSData = $Manifest.PrivateData.PSData
    # The cmdlets the compiled module defines (whatever the manifest says): the classes with a [Cmdlet] attribute.
    $script:CmdletsInAssembly = @(
        [System.Reflection.Assembly]::LoadFrom((Join-Path $ModulePath 'BoxFusion.dll')).GetExportedTypes() |
            ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { "$($_.VerbName)-$($_.NounName)" })

    # The pwsh running the tests, as a file name and the arguments that come before a script's own.
    function Get-PwshStart {
        $pwsh = @(Get-PwshCommandLine)
        @{ File = $pwsh[0]; Prefix = @($pwsh | Select-Object -Skip 1) }
    }

    # Runs a script in a new pwsh whose home, data, config and cache folders are under $HomeFolder, so PSResourceGet's
    # repository store (under the user's local application data) and the CurrentUser module path are temporary, and
    # the user's own are never read or written. PSModulePath is left for the new pwsh to compute from those folders.
    function Invoke-IsolatedPwsh([string] $HomeFolder, [string] $Script) {
        $start = Get-PwshStart
        $info = [System.Diagnostics.ProcessStartInfo]::new($start.File)
        foreach ($a in $start.Prefix) { $info.ArgumentList.Add($a) }
        foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $Script) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        # The folders must exist: .NET reports a special folder that does not exist as '', and PSResourceGet would
        # then keep its store in a relative path, under the current directory.
        $folders = [ordered]@{
            HOME = $HomeFolder; XDG_DATA_HOME = Join-Path $HomeFolder '.local/share'
            XDG_CONFIG_HOME = Join-Path $HomeFolder '.config'; XDG_CACHE_HOME = Join-Path $HomeFolder '.cache'
        }
        foreach ($name in $folders.Keys) {
            $null = New-Item -ItemType Directory $folders[$name] -Force
            $info.Environment[$name] = $folders[$name]
        }
        $null = $info.Environment.Remove('PSModulePath')
        $process = [System.Diagnostics.Process]::Start($info)
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout; Errors = $stderr.Result }
    }

    # The user's PSResourceGet repository store: it must be the same after the tests as before.
    function Get-RepositoryStoreState {
        $store = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'PSResourceGet/PSResourceRepository.xml'
        if (Test-Path $store) { (Get-FileHash $store -Algorithm SHA256).Hash } else { 'absent' }
    }

    # Newest version heading of CHANGELOG.md ("## [0.2.0] - ...") and the text of its section.
    function Get-NewestChangelogEntry {
        $text = Get-Content (Join-Path $RepoRoot 'CHANGELOG.md') -Raw
        $headings = [regex]::Matches($text, '(?m)^## \[(?<version>\d+\.\d+\.\d+)\][^\n]*\n')
        if ($headings.Count -eq 0) { return $null }
        $first = $headings[0]
        $end = if ($headings.Count -gt 1) { $headings[1].Index } else { $text.Length }
        [pscustomobject]@{ Version = $first.Groups['version'].Value; Text = $text.Substring($first.Index, $end - $first.Index) }
    }
}

Describe 'The manifest' {
    It 'has a version that is the newest in CHANGELOG.md' {
        $entry = Get-NewestChangelogEntry
        $entry | Should -Not -BeNullOrEmpty -Because 'CHANGELOG.md has "## [x.y.z] - date" headings, newest first'
        $Manifest.ModuleVersion | Should -Be $entry.Version
    }

    It 'exports every cmdlet that BoxFusion.dll defines, and no other' {
        ($Manifest.CmdletsToExport | Sort-Object) | Should -Be ($CmdletsInAssembly | Sort-Object)
    }

    It 'has release notes, a changelog entry and a README cmdlet table that name every cmdlet' {
        $entry = Get-NewestChangelogEntry
        $readme = Get-Content (Join-Path $RepoRoot 'README.md') -Raw
        $CmdletsInAssembly.Count | Should -BeGreaterThan 0
        foreach ($cmdlet in $CmdletsInAssembly) {
            $name = [regex]::Escape($cmdlet)
            $PSData.ReleaseNotes | Should -Match "(?<![\w-])$name(?![\w-])" -Because "the release notes name every cmdlet of this version"
            $entry.Text | Should -Match "(?<![\w-])$name(?![\w-])" -Because "CHANGELOG.md's $($entry.Version) entry names every cmdlet"
            $readme | Should -Match "(?m)^\| ``$name``" -Because "README's Cmdlets table has a row for every cmdlet"
        }
    }

    It 'points LicenseUri at the LICENSE file of the project it names in ProjectUri' {
        $PSData.ProjectUri | Should -Match '^https://github\.com/[^/]+/[^/]+$'
        $PSData.LicenseUri | Should -Be "$($PSData.ProjectUri)/blob/main/LICENSE"
        Test-Path (Join-Path $RepoRoot 'LICENSE') | Should -BeTrue
    }

    It 'has the gallery tags users search for' {
        foreach ($tag in 'ObjectDetection', 'COCO', 'WBF', 'Ensemble', 'Linux', 'Windows', 'MacOS', 'PSEdition_Core') {
            $PSData.Tags | Should -Contain $tag
        }
    }

    It 'has a PSEdition tag exactly for each edition it declares compatible' {
        $editionTags = @($PSData.Tags | Where-Object { $_ -like 'PSEdition_*' } | ForEach-Object { $_ -replace '^PSEdition_' })
        ($editionTags | Sort-Object) | Should -Be ($Manifest.CompatiblePSEditions | Sort-Object)
    }

    It 'has a PSCommand tag for each cmdlet, which is what Find-PSResource -CommandName looks for' {
        foreach ($cmdlet in $Manifest.CmdletsToExport) { $PSData.Tags | Should -Contain "PSCommand_$cmdlet" }
    }

    It 'is the manifest the build ships' {
        $BuiltManifest.ModuleVersion | Should -Be $Manifest.ModuleVersion
        $BuiltManifest.PrivateData.PSData.ReleaseNotes | Should -Be $PSData.ReleaseNotes
    }
}

Describe 'What the module folder ships' {
    It 'holds no test code: no synthetic generator or benchmark assembly, and no BoxFusion.Synthetic types in the engine' {
        $shipped = @(Get-ChildItem $ModulePath -Recurse -File | ForEach-Object Name)
        $shipped | Should -Not -Contain 'BoxFusion.Synthetic.dll'
        $shipped | Should -Not -Contain 'BoxFusion.Benchmarks.dll'
        Import-ModuleUnderTest
        $synthetic = @([BoxFusion.Detection].Assembly.GetTypes() | Where-Object { $_.Namespace -like 'BoxFusion.Synthetic*' })
        $synthetic.FullName | Should -BeNullOrEmpty -Because 'the generator lives in tests/BoxFusion.Synthetic'
    }
}

Describe 'The PowerShell versions it claims' {
    BeforeAll {
        # The .NET each PowerShell release runs on; a package assembly we reference must not be newer than it.
        $script:DotNetOfPowerShell = [ordered]@{ '7.2' = 6; '7.3' = 7; '7.4' = 8; '7.5' = 9; '7.6' = 10 }
        function Get-AssemblyReference([string] $Path) {
            $stream = [System.IO.File]::OpenRead($Path)
            try {
                $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
                $reader = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
                foreach ($handle in $reader.AssemblyReferences) {
                    $reference = $reader.GetAssemblyReference($handle)
                    [pscustomobject]@{ Name = $reader.GetString($reference.Name); Version = $reference.Version }
                }
                $pe.Dispose()
            }
            finally { $stream.Dispose() }
        }
    }

    It 'claims only PowerShell 7 (Core): Windows PowerShell 5.1 is neither supported nor tested' {
        $Manifest.CompatiblePSEditions | Should -Be @('Core')
    }

    It 'requires the first PowerShell whose .NET has the System.Text.Json (and other package assemblies) we reference' {
        $floor = [version]$Manifest.PowerShellVersion
        $key = "$($floor.Major).$($floor.Minor)"
        $DotNetOfPowerShell.Keys | Should -Contain $key -Because 'PowerShellVersion names a PowerShell 7 release'
        $shipped = @(Get-ChildItem $ModulePath -Filter *.dll | ForEach-Object BaseName)
        $needed = 0
        foreach ($dll in 'BoxFusion.dll', 'BoxFusion.Engine.dll') {
            foreach ($reference in Get-AssemblyReference (Join-Path $ModulePath $dll)) {
                if ($reference.Name -in $shipped -and $reference.Name -notlike 'BoxFusion*') { $needed = [math]::Max($needed, $reference.Version.Major) }
            }
        }
        $needed | Should -BeGreaterThan 0 -Because 'the engine references System.Text.Json'
        $DotNetOfPowerShell[$key] | Should -BeGreaterOrEqual $needed -Because "PowerShell $key must already have loaded assembly versions $needed.x"
        $lower = @($DotNetOfPowerShell.Keys | Where-Object { [version]$_ -lt $floor -and $DotNetOfPowerShell[$_] -ge $needed })
        $lower | Should -BeNullOrEmpty -Because 'the floor is the first release that can load it, not a later one'
    }

    It 'refuses an older PowerShell at import with a message naming the version needed, before loading the engine' {
        # This pwsh stands in for an older one: a copy of the module that asks for the next minor version.
        $copy = New-TestFolder
        try {
            $module = Join-Path $copy 'BoxFusion'
            Copy-Item $ModulePath $module -Recurse
            $current = $PSVersionTable.PSVersion
            $required = "$($current.Major).$($current.Minor + 1)"
            $psd1 = Join-Path $module 'BoxFusion.psd1'
            $text = (Get-Content $psd1 -Raw) -replace "PowerShellVersion\s*=\s*'[^']*'", "PowerShellVersion = '$required'"
            Set-Content $psd1 $text
            $start = Get-PwshStart
            # Import-Module opens the root module's dll to resolve its path before it reads PowerShellVersion; that
            # touches none of its references. The engine (which references System.Text.Json) must not be loaded.
            $script = "Import-Module '$module' -ErrorAction SilentlyContinue -ErrorVariable problems; " +
                "`$problems.Count; `$problems[0].FullyQualifiedErrorId; `$problems[0].Exception.Message; (Get-Module BoxFusion).Count; " +
                "@([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'BoxFusion.Engine' }).Count"
            $lines = & $start.File @($start.Prefix) -NoProfile -NonInteractive -Command $script
            $lines[0] | Should -Be '1' -Because 'one error, the version, and no FileLoadException'
            $lines[1] | Should -BeLike 'Modules_InsufficientPowerShellVersion*'
            $lines[2] | Should -BeLike "*requires a minimum PowerShell version of '$required'*"
            $lines[3] | Should -Be '0'
            $lines[4] | Should -Be '0' -Because 'the check must come before the assembly load that fails on an older PowerShell'
        }
        finally { Remove-Item $copy -Recurse -Force }
    }
}

Describe 'The package in a local PSResourceGet repository' -Skip:$IsWindows {
    # Skipped on Windows: there the repository store lives under %LOCALAPPDATA% as the shell reports it, which a child
    # process cannot be pointed away from, and these tests must not touch the user's own store.
    BeforeAll {
        $script:StoreBefore = Get-RepositoryStoreState
        $script:Work = New-TestFolder
        $script:HomeFolder = Join-Path $Work 'home'
        $script:RepositoryFolder = Join-Path $Work 'repository'
        $script:ResultFile = Join-Path $Work 'result.json'
        $script:Submission = Join-Path $Work 'submission.json'
        $script:Pictures = Join-Path $Work 'pictures'
        $null = New-Item -ItemType Directory $HomeFolder, $RepositoryFolder
        $script:RepositoryName = 'BoxFusionTest' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        # The package build.ps1 -Task Package made (the Test task sets BOXFUSION_PACKAGE), else the built module folder.
        $publish = if ($env:BOXFUSION_PACKAGE) { "Publish-PSResource -NupkgPath '$env:BOXFUSION_PACKAGE' -Repository `$name" }
                   else { "Publish-PSResource -Path '$ModulePath' -Repository `$name" }
        $sample = Join-Path $DataRoot 'sample'
        $script:Run = Invoke-IsolatedPwsh $HomeFolder @"
`$ErrorActionPreference = 'Stop'
`$name = '$RepositoryName'
`$result = [ordered]@{}
try {
    Register-PSResourceRepository -Name `$name -Uri '$RepositoryFolder' -Trusted
    $publish
    `$result.Packages = @(Get-ChildItem '$RepositoryFolder' -Filter *.nupkg | ForEach-Object Name)
    `$result.FoundByName = @(Find-PSResource -Name BoxFusion -Repository `$name | ForEach-Object { "`$(`$_.Name) `$(`$_.Version)" })
    `$result.FoundByCommand = @(Find-PSResource -CommandName Merge-Detection -Repository `$name | ForEach-Object { `$_.ParentResource.Name })
    # Each cmdlet on its own, the graphics ones included: the command names the package declares.
    `$result.FoundByEachCommand = [ordered]@{}
    foreach (`$command in '$($Manifest.CmdletsToExport -join "', '")') {
        `$result.FoundByEachCommand[`$command] = @(Find-PSResource -CommandName `$command -Repository `$name | ForEach-Object { `$_.ParentResource.Name })
    }
    Install-PSResource -Name BoxFusion -Repository `$name -Scope CurrentUser -Quiet
    # A fresh pwsh (same temporary home): the module is found by name on the CurrentUser module path.
    `$pwsh = [Environment]::ProcessPath
    `$prefix = @(); if ((Split-Path `$pwsh -Leaf) -match '^dotnet') { `$prefix += Join-Path `$PSHOME 'pwsh.dll' }
    `$job = @'
`$ErrorActionPreference = 'Stop'
Import-Module BoxFusion
Set-Location '$sample'
`$detections = Import-Detection yolox.json, cascade.json, detr.json
`$fused = `$detections | Merge-Detection -Method WBF -ImageInfo gt.json
`$score = `$fused | Measure-Detection -GroundTruth gt.json
`$fused | Export-Submission '$Submission'
# the graphics cmdlets, whose native library must load from the installed copy's own folder
`$drawn = `$fused | Export-DetectionImage -Path '$Pictures' -GroundTruth gt.json -First 2 -PassThru
`$score | Export-PrecisionRecallChart '$Pictures/pr.png'
`$native = @([System.Diagnostics.Process]::GetCurrentProcess().Modules | Where-Object ModuleName -Match 'SkiaSharp' | ForEach-Object FileName)
`$module = Get-Module BoxFusion
@{ ModuleBase = `$module.ModuleBase; Version = "`$(`$module.Version)"; Fused = @(`$fused).Count; AP = `$score.AP; Pictures = @(`$drawn).Count; Native = `$native } | ConvertTo-Json -Compress
'@
    `$json = & `$pwsh @prefix -NoProfile -NonInteractive -Command `$job
    if (`$LASTEXITCODE -ne 0) { throw "The fresh pwsh failed: `$json" }
    `$result.Job = `$json | Select-Object -Last 1 | ConvertFrom-Json
    `$result.UserModulePath = Join-Path `$env:XDG_DATA_HOME 'powershell/Modules'
}
finally {
    Unregister-PSResourceRepository -Name `$name -ErrorAction SilentlyContinue
    `$result.RepositoriesAfter = @(Get-PSResourceRepository | ForEach-Object Name)
    `$result.StoreFolder = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'PSResourceGet'
    `$result | ConvertTo-Json -Depth 5 | Set-Content '$ResultFile'
}
"@
        $script:Result = if (Test-Path $ResultFile) { Get-Content $ResultFile -Raw | ConvertFrom-Json } else { $null }
    }
    AfterAll {
        Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'publishes, installs and imports without errors' {
        $Run.ExitCode | Should -Be 0 -Because $Run.Errors
        $Result | Should -Not -BeNullOrEmpty
    }

    It 'publishes one package of the manifest''s version' {
        $Result.Packages | Should -Be "BoxFusion.$($Manifest.ModuleVersion).nupkg"
        $Result.FoundByName | Should -Be "BoxFusion $($Manifest.ModuleVersion)"
    }

    It 'is found by Find-PSResource -CommandName Merge-Detection, and by the name of each of its cmdlets' {
        $Result.FoundByCommand | Should -Contain 'BoxFusion'
        foreach ($cmdlet in $Manifest.CmdletsToExport) {
            $Result.FoundByEachCommand.$cmdlet | Should -Contain 'BoxFusion' -Because "Find-PSResource -CommandName $cmdlet must find it"
        }
    }

    It 'imports by name in a fresh pwsh from the CurrentUser path it was installed to' {
        $Result.Job.ModuleBase | Should -BeLike "$($Result.UserModulePath)*"
        $Result.Job.ModuleBase | Should -BeLike "$HomeFolder*"
        $Result.Job.Version | Should -Be $Manifest.ModuleVersion
    }

    It 'runs Import, Merge, Measure and Export on the sample with the same numbers as the built module' {
        Import-ModuleUnderTest
        $sample = Join-Path $DataRoot 'sample'
        $fused = Import-Detection (Join-Path $sample 'yolox.json'), (Join-Path $sample 'cascade.json'), (Join-Path $sample 'detr.json') |
            Merge-Detection -Method WBF -ImageInfo (Join-Path $sample 'gt.json')
        $expected = $fused | Measure-Detection -GroundTruth (Join-Path $sample 'gt.json')
        $Result.Job.Fused | Should -Be @($fused).Count
        $Result.Job.AP | Should -Be $expected.AP
        @(Get-Content $Submission -Raw | ConvertFrom-Json).Count | Should -Be @($fused).Count
    }

    It 'draws pictures and a chart with the native graphics library of the installed copy' {
        $Result.Job.Pictures | Should -Be 2
        @(Get-ChildItem $Pictures -Filter *.png).Count | Should -Be 3
        $Result.Job.Native | Should -Not -BeNullOrEmpty
        foreach ($library in $Result.Job.Native) { $library | Should -BeLike "$($Result.Job.ModuleBase)*runtimes*" }
    }

    It 'carries no debug symbols, and each runtime''s native libraries once' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead((Join-Path $RepositoryFolder $Result.Packages[0]))
        try { $names = @($zip.Entries.FullName) } finally { $zip.Dispose() }
        $names | Where-Object { $_ -like '*.pdb' } | Should -BeNullOrEmpty
        $native = @($names | Where-Object { $_ -like 'runtimes/*/native/*' })
        $runtimes = @($native | ForEach-Object { $_.Split('/')[1] } | Sort-Object -Unique)
        $runtimes | Should -Be 'linux-arm64', 'linux-musl-arm64', 'linux-musl-x64', 'linux-x64', 'osx', 'win-arm64', 'win-x64'
        foreach ($runtime in $runtimes) {
            @($native | Where-Object { $_ -like "runtimes/$runtime/*" } | ForEach-Object { [System.IO.Path]::GetFileNameWithoutExtension($_) } | Sort-Object) |
                Should -Be 'libHarfBuzzSharp', 'libSkiaSharp' -Because $runtime
        }
    }

    It 'holds LICENSE, THIRD-PARTY-NOTICES.md, README.md and CHANGELOG.md, and the nuspec carries the manifest''s metadata' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead((Join-Path $RepositoryFolder $Result.Packages[0]))
        try {
            $names = @($zip.Entries.FullName)
            foreach ($file in 'LICENSE', 'THIRD-PARTY-NOTICES.md', 'README.md', 'CHANGELOG.md', 'BoxFusion.psd1', 'BoxFusion.dll', 'BoxFusion.Engine.dll') {
                $names | Should -Contain $file
            }
            # Test code stays out: the fuzz test's library (out/fuzz), the synthetic generator and the benchmark's
            # stages (out/tools) are built beside the module, never into it.
            @($names | Where-Object { $_ -like '*BoxFusion.Fuzz*' }) | Should -BeNullOrEmpty
            $names | Should -Not -Contain 'BoxFusion.Synthetic.dll'
            $names | Should -Not -Contain 'BoxFusion.Benchmarks.dll'
            $reader = [System.IO.StreamReader]::new($zip.GetEntry('BoxFusion.nuspec').Open())
            [xml]$nuspec = $reader.ReadToEnd()
            $reader.Dispose()
        }
        finally { $zip.Dispose() }
        $metadata = $nuspec.package.metadata
        $metadata.licenseUrl | Should -Be $PSData.LicenseUri
        $metadata.projectUrl | Should -Be $PSData.ProjectUri
        $metadata.releaseNotes | Should -Be $PSData.ReleaseNotes.Trim()
        foreach ($tag in 'ObjectDetection', 'WBF', 'PSCommand_Merge-Detection') { ($metadata.tags -split ' ') | Should -Contain $tag }
    }

    It 'keeps PSResourceGet''s store in the temporary home, unregisters its repository, and leaves the user''s store as it was' {
        $Result.StoreFolder | Should -BeLike "$HomeFolder*"
        Join-Path $Result.StoreFolder 'PSResourceRepository.xml' | Should -Exist
        $Result.RepositoriesAfter | Should -Not -Contain $RepositoryName
        Get-RepositoryStoreState | Should -Be $StoreBefore
    }
}
